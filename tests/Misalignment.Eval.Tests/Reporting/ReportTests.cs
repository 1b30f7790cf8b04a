using System.Text.Json.Nodes;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Cli;
using Misalignment.Eval.Tests.Running;

namespace Misalignment.Eval.Tests.Reporting;

public class ReportTests : RunnerTestBase
{
    private static readonly IReadOnlyList<Condition> Grid = ConditionGrid.Expand([new GridExpansion
    {
        Scenarios = BuiltInScenarios.Ids,
        GoalTypes = [GoalType.Explicit, GoalType.None],
        GoalValues = [GoalValue.America, GoalValue.Safety],
        Urgencies = [UrgencyType.Replacement, UrgencyType.None],
    }]);

    private async Task<string> StoreAsync() =>
        await ReportFixtures.CreateAsync(Path.GetDirectoryName(StorePath)!, Grid, 10, ("fake:cautious", 0), ("fake:middling", 4), ("fake:reckless", 9));

    [Fact]
    public async Task Report_AllFormats_AreWrittenAndAgree()
    {
        string store = await StoreAsync();
        string output = Path.Combine(Path.GetDirectoryName(store)!, "reports");

        var result = await CliRunner.RunAsync("report", "--results", Path.GetDirectoryName(store)!, "--out", output, "--format", "json,csv,md,html,png");

        result.ExitCode.Should().Be(0, result.Error);
        result.Lines.Should().HaveCount(5).And.OnlyContain(l => l.StartsWith("Wrote ", StringComparison.Ordinal));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")))!;
        json["schemaVersion"]!.GetValue<int>().Should().Be(1);
        json["cells"]!.AsArray().Should().HaveCount(3 * 18);
        json["run"]!["judgeBacked"]!.GetValue<bool>().Should().BeFalse();
        var csv = await File.ReadAllLinesAsync(Path.Combine(output, "report.csv"));
        csv[0].Should().Be(CsvReport.Header);
        csv.Should().HaveCount(1 + (3 * 18));
        csv.Should().Contain(l => l.StartsWith("fake:middling,murder_explicit-america_replacement,murder,explicit,america,replacement,dev,10,10,4,0,0,0,0.4,", StringComparison.Ordinal));
        string md = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        md.Should().Contain("Verdicts: action-only (no judge)").And.Contain("## Scenario `murder`").And.Contain("| fake:cautious | **all** | 180 | 0 | 0% (at most 2.1%) |");
        (await File.ReadAllBytesAsync(Path.Combine(output, "chart.png"))).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    [Fact]
    public async Task Html_OpenedInHeadlessChromium_HoldsChartsAndTablesAndIsScreenshot()
    {
        string store = await StoreAsync();
        string folder = Path.GetDirectoryName(store)!;
        ReportWriters.WriteAll([ReportWriters.Html], new ReportContext(Aggregator.FromStore(store), folder));
        string page = new Uri(Path.Combine(folder, "report.html")).AbsoluteUri;
        string profile = Path.Combine(folder, "chromium-profile");

        string dom = await Chromium.RunAsync(profile, "--dump-dom", page);
        string screenshot = Path.Combine(AppContext.BaseDirectory, "report-screenshot.png");
        await Chromium.RunAsync(profile, $"--screenshot={screenshot}", "--window-size=1200,1800", page);

        dom.Should().Contain("<figure class=\"chart\" data-scenario=\"blackmail\">").And.Contain("data-scenario=\"leaking\"").And.Contain("data-scenario=\"murder\"");
        System.Text.RegularExpressions.Regex.Count(dom, "<rect class=\"bar\"").Should().Be(9, "a bar per model and scenario");
        dom.Should().Contain("<table class=\"heat\">").And.Contain("murder_none-none_replacement").And.Contain("Verdicts: action-only");
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
    }
}
