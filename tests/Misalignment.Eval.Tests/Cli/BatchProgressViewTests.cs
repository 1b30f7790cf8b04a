using Misalignment.Eval.Cli;
using Misalignment.Eval.Running;
using Spectre.Console.Testing;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>The live display's batch line: under a batched model, its oldest batch in flight and the requests held for the next.</summary>
public class BatchProgressViewTests
{
    private static RunProgress Snapshot() => new()
    {
        Elapsed = TimeSpan.FromMinutes(3),
        Models =
        [
            new ModelProgress
            {
                Model = "anthropic:claude-sonnet-4-20250514",
                Total = 1800,
                Done = 0,
                BatchesInFlight = 2,
                BatchId = "msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d",
                BatchProvider = "anthropic",
                BatchPhase = "in_progress",
                BatchRequests = 1000,
                BatchSucceeded = 950,
                BatchErrored = 2,
                BatchWaiting = TimeSpan.FromHours(26) + TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(4),
                BatchHeld = 12,
            },
            new ModelProgress { Model = "openai:gpt-4.1", Total = 10, Done = 2, BatchHeld = 8 },
            new ModelProgress { Model = "demo:benign", Total = 10, Done = 5 },
        ],
    };

    private static List<string> Render(int width)
    {
        var console = new TestConsole().Width(width);
        console.Write(new ProgressView(Snapshot()));
        return [.. console.Lines.Where(l => l.Length > 0)];
    }

    [Fact]
    public void Render_BatchedModelsAt80Columns_ShowTheirBatchesOnALineThatFits()
    {
        var lines = Render(80);

        lines.Should().HaveCount(6, "the elapsed line, three models, and a batch line under each batched model");
        lines.Should().OnlyContain(l => l.TrimEnd().Length <= 80);
        int claude = lines.FindIndex(l => l.StartsWith("anthropic:claude-sonnet-4", StringComparison.Ordinal));
        lines[claude + 1].TrimEnd().Should().Be("  batch …R4ZsDV8d anthropic: 950/1000 ok, 2 err, in_progress, waiting 26:03:04 …");
        int gpt = lines.FindIndex(l => l.StartsWith("openai:gpt-4.1", StringComparison.Ordinal));
        lines[gpt + 1].TrimEnd().Should().Be("  batch: 8 held");
        lines[^1].Should().StartWith("demo:benign", "a model without batches has no batch line");
    }

    [Fact]
    public void BatchLine_AtAWideTerminal_ShowsTheOtherBatchesAndTheHeldRequests()
    {
        ProgressView.BatchLine(Snapshot().Models[0]).Should().Be("batch …R4ZsDV8d anthropic: 950/1000 ok, 2 err, in_progress, waiting 26:03:04 (+1 more); 12 held");
        ProgressView.BatchLine(Snapshot().Models[2]).Should().BeNull();
        Render(140).Should().Contain(l => l.TrimEnd() == "  batch …R4ZsDV8d anthropic: 950/1000 ok, 2 err, in_progress, waiting 26:03:04 (+1 more); 12 held");
    }

    [Fact]
    public async Task PlainProgress_BatchSubmittedPolledAndEnded_IsALogLineEachTime()
    {
        using var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error);
        var model = new ModelProgress { Model = "openai:gpt-4.1", Total = 4 };
        var submitted = model with { BatchesInFlight = 1, BatchId = "batch_0123456789", BatchProvider = "openai", BatchPhase = "in_progress", BatchRequests = 4, BatchWaiting = TimeSpan.Zero };

        await ProgressReporter.RunAsync(context, ["openai:gpt-4.1"], progress =>
        {
            progress.Report(new RunProgress { Models = [model with { BatchHeld = 4 }] });
            progress.Report(new RunProgress { Models = [submitted] });
            progress.Report(new RunProgress { Models = [submitted with { BatchSucceeded = 2, BatchWaiting = TimeSpan.FromSeconds(30) }] });
            progress.Report(new RunProgress { Models = [submitted with { BatchPhase = "ended", BatchSucceeded = 4 }] });
            progress.Report(new RunProgress { Models = [model with { Done = 4, Batched = 4 }] });
            return Task.CompletedTask;
        });

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Where(l => l.Contains("batch", StringComparison.Ordinal) && !l.Contains("harmful", StringComparison.Ordinal)).Should().Equal(
            "[00:00:00] openai:gpt-4.1: batch …23456789 openai: 0/4 ok, 0 err, in_progress, waiting 00:00:00",
            "[00:00:00] openai:gpt-4.1: batch …23456789 openai: 4/4 ok, 0 err, ended, waiting 00:00:00",
            "[00:00:00] openai:gpt-4.1: no batch in flight");
        lines.Should().Contain(l => l.EndsWith("rate-limit waits 0, batched 4", StringComparison.Ordinal));
    }
}
