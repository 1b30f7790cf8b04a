using Misalignment.Eval.Reporting;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Reporting;

/// <summary>The HTML report's embedded samples and the prompts file beside the store, without a browser.</summary>
public sealed class SampleBrowserDataTests : IDisposable
{
    private static readonly string OldStore = Path.Combine(TestPaths.Data, "stores", "written-by-0.1.0.jsonl");

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Html_OfAStoreWithoutPrompts_EmbedsEverySample_AndStoresNoPrompt()
    {
        var context = new ReportContext(Aggregation.FromStore(OldStore), _temp.Path, () => ResultStore.ReadSamples(OldStore)) { StorePath = OldStore };

        string html = File.ReadAllText(ReportWriters.Html.Write(context));

        var (index, text) = SampleData.Build(context);
        System.Text.Json.JsonDocument.Parse(index).RootElement.GetProperty("samples").GetArrayLength().Should().Be(32);
        System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("prompts").EnumerateObject().Should().BeEmpty();
        html.Should().Contain("\"prompts\":{}").And.Contain("The prompt is not stored");
    }

    [Fact]
    public async Task Html_AnswerWithScriptTags_CannotBreakOutOfTheEmbeddedJson()
    {
        var model = new FakeChatModel("fake:tricky", (_, _, _) => Task.FromResult(new ModelResponse { Text = "</script><script>alert(1)</script> <!-- & \u2028" }));
        var runner = new ExperimentRunner(ScenarioCatalog.CreateBuiltIn(), [Condition.Parse("murder_none-none_none")], [new ModelUnderTest(model)], new RunOptions { SamplesPerCondition = 2 });
        string store = Path.Combine(_temp.Path, ResultStore.FileName);
        await using (var sink = ResultStore.Create(store, runner.CreateManifest("tricky")))
        {
            await runner.RunAsync(sink);
        }

        string html = File.ReadAllText(ReportWriters.Html.Write(new ReportContext(Aggregation.FromStore(store), _temp.Path, () => ResultStore.ReadSamples(store))));

        html.Should().NotContain("<script>alert").And.NotContain("</script><script>alert").And.Contain("\\u003C/script\\u003E");
    }

    [Fact]
    public async Task Session_Run_StoresEachConditionsPromptOnce_ByTheHashItsSamplesRecord()
    {
        var spec = new ExperimentSpec
        {
            ExperimentId = "prompts",
            Models = ["demo:harmful", "demo:benign"],
            SamplesPerCondition = 3,
            OutputDirectory = _temp.Path,
            Expansions = [new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit, GoalType.None], GoalValues = [GoalValue.America], Urgencies = [UrgencyType.Replacement] }],
        };
        var options = new ExperimentSessionOptions();
        options.Models.AddDemoAgents();

        var result = await new ExperimentSession(spec, options).RunAsync();

        var prompts = PromptSidecar.Read(result.StorePath);
        var samples = ResultStore.ReadSamples(result.StorePath!).ToList();
        prompts.Should().HaveCount(2, "two conditions, whatever the number of samples and models");
        samples.Should().OnlyContain(s => prompts.ContainsKey(s.PromptHash!));
        File.ReadLines(Path.Combine(_temp.Path, "prompts.jsonl")).Should().HaveCount(2);
        prompts.Values.Should().OnlyContain(p => p.SystemPrompt.Length > 100 && p.UserMessage.Contains("<email>", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(_temp.Path, "report.html")).Should().Contain(prompts.Values.First().SystemPrompt[..20].Replace("'", "\\u0027", StringComparison.Ordinal));
    }
}
