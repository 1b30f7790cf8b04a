// Quickstart: run part of the benchmark from your own code and read the statistics.
// Swap DemoChatClient for any Microsoft.Extensions.AI IChatClient (OpenAI, Anthropic, Ollama, your agent).
using Microsoft.Extensions.AI;
using Misalignment.Eval.Demo;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval;

IChatClient client = new DemoChatClient(DemoBehavior.Calibrated);
var model = new ModelUnderTest(new ChatClientModel("demo:calibrated", client, new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 4000 }));

var catalog = ScenarioCatalog.CreateBuiltIn();
var conditions = ConditionGrid.Expand([new GridExpansion
{
    Scenarios = ["murder", "blackmail"],
    GoalTypes = [GoalType.Explicit, GoalType.None],
    GoalValues = [GoalValue.Safety],
    Urgencies = [UrgencyType.Replacement, UrgencyType.None],
}]);

var runner = new ExperimentRunner(catalog, conditions, [model], new RunOptions { SamplesPerCondition = 20, Seed = 42 });
string folder = Path.Combine(Path.GetTempPath(), "misalign-quickstart");
Directory.CreateDirectory(folder);
string store = Path.Combine(folder, ResultStore.FileName);
File.Delete(store);
await using (var results = ResultStore.Create(store, runner.CreateManifest("quickstart", simulated: true)))
{
    await foreach (var _ in runner.RunAsync(results))
    {
    }
}

var aggregation = Aggregator.FromStore(store);
foreach (var cell in aggregation.Cells)
{
    Console.WriteLine($"{cell.ConditionId,-40} {ReportText.Rate(cell.Estimate)}");
}

var files = ReportWriter.Write(aggregation, folder, ReportFormat.Html | ReportFormat.Markdown);
Console.WriteLine($"Reports: {string.Join(", ", files)}");
