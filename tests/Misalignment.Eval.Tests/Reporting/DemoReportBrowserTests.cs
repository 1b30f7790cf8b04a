using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Misalignment.Eval.Tests.Cli;
using Xunit.Abstractions;

namespace Misalignment.Eval.Tests.Reporting;

/// <summary>The README's demo run (7,020 samples) opened from disk in Chromium: how long it takes, and a click through its samples.</summary>
public sealed class DemoReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [ChromiumFact]
    public async Task DemoReport_OpensQuickly_FiltersToHarmful_AndShowsATranscript_AtDesktopAnd420px()
    {
        string folder = Path.Combine(_temp.Path, "demo");
        var run = await CliRunner.RunAsync("run", "--model", "demo:calibrated", "--model", "demo:benign", "--model", "demo:harmful", "--samples", "10", "--out", folder);
        run.ExitCode.Should().Be(0, run.Error);
        var prompts = File.ReadLines(Path.Combine(folder, "prompts.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        prompts.Should().HaveCount(234, "each condition's prompt is stored once, not once per sample or model");
        await using var browser = await Chromium.StartAsync(Path.Combine(_temp.Path, "chromium-profile"));
        var page = await browser.Context.NewPageAsync();
        string url = new Uri(Path.Combine(folder, "report.html")).AbsoluteUri;

        var clock = Stopwatch.StartNew();
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
        await page.WaitForSelectorAsync("body[data-ready]", new() { State = WaitForSelectorState.Attached });
        clock.Stop();
        string script = await page.EvaluateAsync<string>("() => document.body.dataset.ready");
        long size = new FileInfo(Path.Combine(folder, "report.html")).Length;
        string measured = $"demo report.html ({size / 1024} KiB, 7,020 samples): opened in {clock.ElapsedMilliseconds} ms (navigation to the browser's first list), its script {script} ms";
        output.WriteLine(measured);
        Console.WriteLine(measured);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "a generous bound; the figure above is what to watch");

        (await page.Locator("#count").InnerTextAsync()).Should().Contain("(7020 in all)");
        int withPrompt = await page.EvaluateAsync<int>("() => { const t = JSON.parse(document.getElementById('mx-text').textContent); return t.details.filter(d => t.prompts[t.strings[d[6]]] && d[0] >= 0 && d[3]).length; }");
        withPrompt.Should().Be(7020, "every sample has its prompt, answer and verdict in the page");
        (await page.Locator("table.heat a.cell").CountAsync()).Should().Be(3 * 234, "every cell links to its samples");
        await page.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-report-top.png") });

        // Filter to harmful.
        await page.SelectOptionAsync("select[name=verdict]", "harmful");
        long harmful = Aggregation.FromStore(Path.Combine(folder, ResultStore.FileName)).By(RollUp.All).Sum(g => g.Estimate.Harmful);
        await Assertions.Expect(page.Locator("#count")).ToContainTextAsync($"of {harmful} matching");
        (await page.Locator("#sample-list tbody tr").CountAsync()).Should().Be(100, "the list draws a page at a time");
        await page.Locator("#samples").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-report-harmful.png") });

        // A cell opens its samples; a sample opens its transcript.
        await page.Locator("table.heat[data-scenario=blackmail][data-model='demo:harmful'] a.cell").First.ClickAsync();
        await Assertions.Expect(page.Locator("#count")).ToContainTextAsync("of 10 matching");
        (await page.InputValueAsync("select[name=verdict]")).Should().BeEmpty("a cell's link clears the other filters");
        await page.Locator("#sample-list tbody tr a").First.ClickAsync();
        await page.WaitForSelectorAsync("#transcript:not([hidden])");
        string transcript = await page.Locator("#t-body").InnerTextAsync();
        transcript.Should().Contain("demo:harmful").And.Contain("blackmail_explicit-america_replacement").And.Contain("sample 1")
            .And.Contain("System prompt").And.Contain("User message").And.Contain("Response").And.Contain("Extracted actions")
            .And.Contain("The gate's reason").And.Contain("The judge's reasoning").And.Contain("attempts");
        var prompt = prompts.First(p => p!["conditionId"]!.GetValue<string>() == "blackmail_explicit-america_replacement")!;
        await page.Locator("#t-body details.prompt summary").First.ClickAsync();
        string system = await page.Locator("#t-body details.prompt pre").First.InnerTextAsync();
        system.Should().Be(prompt["systemPrompt"]!.GetValue<string>().Trim('\n'), "the transcript shows the prompt the sample was sent");
        await page.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-transcript.png") });

        // Search the text, then a phone-sized window.
        await page.Locator("#close").ClickAsync();
        await page.Locator("#clear").ClickAsync();
        var benign = ResultStore.ReadSamples(Path.Combine(folder, ResultStore.FileName)).First(s => s.Model == "demo:benign");
        string phrase = benign.Response!.Text.Split('\n').Select(l => l.Trim()).First(l => l.Length > 30)[..30];
        int expected = ResultStore.ReadSamples(Path.Combine(folder, ResultStore.FileName)).Count(s => s.Response?.Text.Contains(phrase, StringComparison.OrdinalIgnoreCase) == true);
        await page.FillAsync("input[name=q]", phrase.ToUpperInvariant());
        await Assertions.Expect(page.Locator("#count")).ToContainTextAsync($"of {expected} matching");
        await page.SetViewportSizeAsync(420, 900);
        int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        overflow.Should().BeLessThanOrEqualTo(0, "nothing is wider than a 420 px window; wide tables scroll in their own box");
        await page.GotoAsync(url + "#sample=" + Uri.EscapeDataString("demo:calibrated|murder_explicit-safety_replacement|3"));
        await page.WaitForSelectorAsync("#transcript:not([hidden])");
        await page.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-transcript-420px.png") });
        await page.Locator("#close").ClickAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-report-420px.png"), FullPage = false });
        await page.Locator("#heat").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-heatmap-420px.png") });
        await page.Locator("figure.chart.headline").First.ScreenshotAsync(new() { Path = Chromium.Artifact("demo-headline-420px.png") });
        await page.Locator("#filters").ScreenshotAsync(new() { Path = Chromium.Artifact("demo-filters-420px.png") });
    }
}
