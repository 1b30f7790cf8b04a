using System.Net;
using System.Text.Json.Nodes;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Fakes;
using Misalignment.Eval.Tests.Running;

namespace Misalignment.Eval.Tests.Reporting;

/// <summary>A model stopped by a persistent failure is reported with its stop reason, not as an interrupted run.</summary>
public class StopReasonReportTests : RunnerTestBase
{
    [Fact]
    public async Task Reports_ModelStoppedBy401_ShowStopReasonInsteadOfPartialWording()
    {
        var conditions = new[] { Condition.Parse("murder_explicit-america_replacement"), Condition.Parse("murder_none-none_none") };
        var refused = new FakeChatModel("fake:locked", (_, _, _) => throw new HttpRequestException("HTTP 401 Unauthorized: key rejected", null, HttpStatusCode.Unauthorized));
        var runner = new ExperimentRunner(ScenarioCatalog.CreateBuiltIn(), conditions, [new ModelUnderTest(ReportFixtures.Model("fake:fine", 3)), new ModelUnderTest(refused)], new RunOptions { SamplesPerCondition = 3 });
        string path = Path.Combine(Path.GetDirectoryName(StorePath)!, ResultStore.FileName);
        await using (var store = ResultStore.Create(path, runner.CreateManifest("stop-test")))
        {
            await runner.RunAsync(store);
        }

        var aggregation = Aggregator.FromStore(path);

        aggregation.Partial.Should().BeTrue();
        aggregation.StoppedEarly.Should().ContainSingle().Which.Should().Be(KeyValuePair.Create("fake:locked", "stopped early: HTTP 401: HTTP 401 Unauthorized: key rejected"));
        var statements = ReportText.Statements(aggregation);
        statements.Should().Contain("fake:locked: stopped early: HTTP 401: HTTP 401 Unauthorized: key rejected.")
            .And.NotContain(s => s.Contains("interrupted or is still going", StringComparison.Ordinal));
        var context = new ReportContext(aggregation, Path.GetDirectoryName(path)!);
        MarkdownReport.Render(context).Should().Contain("- fake:locked: stopped early: HTTP 401:");
        HtmlReport.Render(context).Should().Contain("fake:locked: stopped early: HTTP 401:");
        var json = JsonNode.Parse(JsonReport.Render(aggregation))!;
        json["stoppedEarly"]!["fake:locked"]!.GetValue<string>().Should().StartWith("stopped early: HTTP 401: ");
    }

    [Fact]
    public async Task Reports_InterruptedRunWithoutPersistentFailure_KeepPartialWording()
    {
        string path = await ReportFixtures.CreateAsync(Path.GetDirectoryName(StorePath)!, [Condition.Parse("murder_none-none_none")], 4, ("fake:m", 5));
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines.Take(lines.Length - 2));

        var aggregation = Aggregator.FromStore(path);

        aggregation.StoppedEarly.Should().BeEmpty();
        ReportText.Statements(aggregation).Should().Contain(s => s.Contains("interrupted or is still going", StringComparison.Ordinal));
    }
}
