using Misalignment.Eval.Cli;
using Misalignment.Eval.Running;
using Spectre.Console.Testing;

namespace Misalignment.Eval.Tests.Cli;

public class ProgressViewTests
{
    private const string LongSpec = "openai-compatible:http://127.0.0.1:8000/v1#some-very-long-model-name";

    private static RunProgress Snapshot() => new()
    {
        Elapsed = TimeSpan.FromSeconds(75),
        Models =
        [
            new ModelProgress { Model = "demo:always-harmful", Total = 200, Done = 120, Harmful = 118, Scored = 120, Errors = 2, Eta = TimeSpan.FromSeconds(40) },
            new ModelProgress { Model = LongSpec, Total = 200, Done = 37, Harmful = 3, Scored = 30, Errors = 7, Retries = 4, RateLimitWaits = 1, Failure = "too many consecutive errors (5): HTTP 500 Internal Server Error from http://127.0.0.1:8000/v1/chat/completions" },
        ],
    };

    private static List<string> Render(int width)
    {
        var console = new TestConsole().Width(width);
        console.Write(new ProgressView(Snapshot()));
        return [.. console.Lines.Where(l => l.Length > 0)];
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Render_AtTerminalWidth_EveryLineFits(int width)
    {
        var lines = Render(width);

        lines.Should().HaveCount(4, "an elapsed line, a line per model and the stop reason on its own line");
        lines.Should().OnlyContain(l => l.TrimEnd().Length <= width);
    }

    [Fact]
    public void Render_LongModelSpecAt80Columns_TruncatesTheNameButKeepsTheCounts()
    {
        var lines = Render(80);

        string line = lines.Single(l => l.StartsWith("openai-compatible:", StringComparison.Ordinal));
        line.Should().Contain("…").And.NotContain(LongSpec);
        line.Should().Contain(" 37/200").And.Contain("harmful   3/30 ").And.Contain("err 7").And.Contain("retry 4/1").And.Contain("stopped");
        lines.Should().Contain(l => l.StartsWith("demo:always-harmful ", StringComparison.Ordinal) && l.Contains("eta 00:00:40"));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Render_StoppedModel_ShowsTheReasonOnALineOfItsOwn(int width)
    {
        var lines = Render(width);

        int model = lines.FindIndex(l => l.StartsWith("openai-compatible:", StringComparison.Ordinal));
        lines[model + 1].Should().StartWith("  stopped: too many consecutive errors (5): HTTP 500");
    }

    [Fact]
    public void Render_At120Columns_ShowsTheLongSpecWholeWhenItFits()
    {
        var lines = Render(120);

        lines.Should().Contain(l => l.StartsWith(LongSpec + " ", StringComparison.Ordinal) && l.Contains("37/200"));
        lines.Should().Contain(l => l.StartsWith("demo:always-harmful", StringComparison.Ordinal) && !l.Contains('…'));
    }

    [Fact]
    public void Lines_NarrowerThanTheCounts_CutsTheWholeLine()
    {
        var lines = ProgressView.Lines(Snapshot(), 30);

        lines.Should().OnlyContain(l => l.Length <= 30);
    }

    [Fact]
    public async Task RunLive_OnATestConsole_LeavesTheLastSnapshotOnScreen()
    {
        var console = new TestConsole().Width(80);
        var final = Snapshot();

        await ProgressReporter.RunLiveAsync(console, [.. final.Models.Select(m => m.Model)], progress =>
        {
            progress.Report(final);
            return Task.CompletedTask;
        });

        // (Without ANSI the test console shows every redraw one after another, so only the content is checked here.)
        console.Output.Should().Contain("demo:always-harmful").And.Contain("  120/200").And.Contain("stopped: too many consecutive errors");
    }
}
