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
        csv[0].Should().Be(CsvReport.Header).And.EndWith(",ci_upper,level,simulated,partial,cost_usd,priced_samples,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens");
        csv.Skip(1).Should().OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, ",(true|false),(true|false),,0,\\d+,\\d+,\\d+,\\d+$"), "the fakes have no price: their cost is empty, not 0");
        csv.Should().HaveCount(1 + (3 * 18));
        csv.Should().Contain(l => l.StartsWith("fake:middling,murder_explicit-america_replacement,murder,explicit,america,replacement,dev,10,10,4,0,0,0,0.4,", StringComparison.Ordinal));
        string md = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        md.Should().Contain("Verdicts: action-only (no judge)").And.Contain("## Scenario `murder`").And.Contain("| fake:cautious | **all** | 180 | 0 | 0% (at most 2.1%) |");
        md.Should().Contain("| n | unclassified | control | n | unclassified |").And.Contain("| A - B [CI] | unclassified (A / B) |").And.Contain(" unclassified) |");
        (await File.ReadAllBytesAsync(Path.Combine(output, "chart.png"))).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    [ChromiumFact]
    public async Task Html_OpenedInChromium_HoldsFiguresComparisonsAndHeatMap_AndNoLabelIsClipped()
    {
        const string LongModel = "openai-compatible:http://localhost:8080/v1#meta-llama/Llama-3.3-70B-Instruct";
        string store = await ReportFixtures.CreateAsync(Path.GetDirectoryName(StorePath)!, Grid, 10, ("fake:cautious", 0), ("fake:middling", 4), (LongModel, 9));
        string folder = Path.GetDirectoryName(store)!;
        ReportWriters.WriteAll([ReportWriters.Html, ReportWriters.Markdown], new ReportContext(Aggregator.FromStore(store), folder) { StorePath = store });
        await using var browser = await Chromium.StartAsync(Path.Combine(folder, "chromium-profile"));
        var page = await browser.Context.NewPageAsync();

        await page.GotoAsync(new Uri(Path.Combine(folder, "report.html")).AbsoluteUri);
        await page.WaitForSelectorAsync("body[data-ready]");

        (await page.Locator("figure.chart.headline").CountAsync()).Should().Be(3, "a headline figure per scenario");
        (await page.Locator("figure.chart.headline rect.bar").CountAsync()).Should().Be(3 * 3 * 2, "a headline and a control bar per model and scenario");
        (await page.Locator("figure.chart:not(.headline) rect.bar").CountAsync()).Should().Be(9, "a pooled bar per model and scenario");
        (await page.Locator("#pooled").InnerTextAsync()).Should().Contain("pooled over all conditions");
        (await page.Locator("table.heat").CountAsync()).Should().Be(3 * 3, "a heat-map block per scenario and model");
        (await page.Locator("table.heat a.cell").CountAsync()).Should().Be(3 * 18, "every cell links to its samples");
        (await page.Locator("table.heat a.cell").First.InnerTextAsync()).Should().Contain("n=10");
        string html = await page.ContentAsync();
        html.Should().Contain("fake:cautious against fake:middling").And.Contain("-40.0 points").And.Contain("Verdicts: action-only");
        double leftmost = await page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('figure.chart svg text')].map(t => t.getBBox().x))");
        leftmost.Should().BeGreaterThanOrEqualTo(0, "no chart label starts left of its SVG (the long model name is not clipped)");
        double overshoot = await page.EvaluateAsync<double>("() => Math.max(...[...document.querySelectorAll('figure.chart svg text')].map(t => t.getBBox().x + t.getBBox().width - t.ownerSVGElement.viewBox.baseVal.width))");
        overshoot.Should().BeLessThanOrEqualTo(0, "no chart label ends right of its SVG either");
        await page.Locator("figure.chart.headline").First.ScreenshotAsync(new() { Path = Chromium.Artifact("fixture-headline.png") });
        await page.Locator("figure.chart:not(.headline)").First.ScreenshotAsync(new() { Path = Chromium.Artifact("fixture-pooled.png") });
        await page.Locator("#compare ~ div.scroll").First.ScreenshotAsync(new() { Path = Chromium.Artifact("fixture-comparison.png") });
        await page.Locator("#heat ~ div.blocks").First.ScreenshotAsync(new() { Path = Chromium.Artifact("fixture-heatmap.png") });
        await page.Locator("#goal-urgency ~ div.blocks").First.ScreenshotAsync(new() { Path = Chromium.Artifact("fixture-goal-urgency.png") });
        string md = await File.ReadAllTextAsync(Path.Combine(folder, "report.md"));
        md.Should().Contain("## Headline figure").And.Contain("| murder | fake:middling | 40.0% [16.8, 68.7] | 10 |").And.Contain("## Model against model").And.Contain("### fake:cautious against fake:middling")
            .And.Contain("## Goal type by urgency").And.Contain("pooled over all conditions");
    }
}
