// Quickstart: run part of the benchmark against a chat client from your own code and read the statistics.
// Swap DemoChatClient for any Microsoft.Extensions.AI IChatClient (OpenAI, Anthropic, Ollama, your agent).
using Misalignment.Eval;
using Misalignment.Eval.Running;

var target = new DemoChatClient(DemoBehavior.Calibrated);
var spec = new ExperimentSpec
{
    Models = ["demo:calibrated"],
    Expansions = [new GridExpansion
    {
        Scenarios = ["murder", "blackmail"],
        GoalTypes = [GoalType.Explicit, GoalType.None],
        GoalValues = [GoalValue.Safety],
        Urgencies = [UrgencyType.Replacement, UrgencyType.None],
    }],
    SamplesPerCondition = 20,
    Seed = 42,
};

ExperimentResult result = await ExperimentSession.RunInMemoryAsync(target, spec);
foreach (var cell in result.Aggregation.Cells)
{
    Console.WriteLine($"{cell.ConditionId,-40} {cell.Estimate}");
}

var files = result.WriteReports(Path.Combine(Path.GetTempPath(), "misalign-quickstart"));
Console.WriteLine($"Reports: {string.Join(", ", files)}");
