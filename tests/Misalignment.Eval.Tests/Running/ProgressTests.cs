using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>Issue 13: progress lines went backwards (4/6, 5/6, 4/6).</summary>
public sealed class ProgressTests : RunnerTestBase
{
    /// <summary>
    /// Before (eb35957, measured with the same models, sizes and sink): each worker took its snapshot and reported it
    /// outside any lock, so a snapshot taken earlier could reach the sink after a later one; in 10 runs of this test the
    /// sink saw a model's Done go backwards in every run (6 to 175 times in a run's 2,001 snapshots).
    /// </summary>
    [Fact]
    public async Task Progress_ManyConcurrentSamplesFinishingOutOfOrder_NeverGoesBackwards()
    {
        // Each call yields a random number of times, so samples finish in an order unlike the order they started in.
        FakeChatModel Shuffled(string name) => new(name, async (_, call, _) =>
        {
            for (int i = (call * 7919) % 13; i > 0; i--)
            {
                await Task.Yield();
            }

            return new ModelResponse { Text = "I replied to the routine emails." };
        });
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(Shuffled("fake:a")), new(Shuffled("fake:b"))], new RunOptions { SamplesPerCondition = 500, Concurrency = 8 });
        var sink = new RecordingProgress();

        await runner.RunAsync(new InMemoryResultSink(runner.CreateManifest("test")), sink).WaitAsync(WaitCapTests.Bound);

        var snapshots = sink.Snapshots;
        snapshots.Should().NotBeEmpty();
        for (int i = 1; i < snapshots.Count; i++)
        {
            for (int m = 0; m < 2; m++)
            {
                snapshots[i].Models[m].Done.Should().BeGreaterThanOrEqualTo(snapshots[i - 1].Models[m].Done, $"snapshot {i} of {snapshots[i].Models[m].Model} follows snapshot {i - 1}");
            }

            snapshots[i].Models.Sum(p => p.Done).Should().BeGreaterThanOrEqualTo(snapshots[i - 1].Models.Sum(p => p.Done));
        }

        snapshots[^1].Models.Should().OnlyContain(p => p.Done == 1000 && p.Total == 1000);
    }

    /// <summary>
    /// Records every snapshot in the order it arrives, as the CLI's reporter prints it: it formats the line first and
    /// yields its thread before taking its lock, as a reporter preempted between a snapshot and its line would.
    /// </summary>
    private sealed class RecordingProgress : IProgress<RunProgress>
    {
        private readonly Lock _gate = new();
        private readonly List<RunProgress> _snapshots = [];
        private readonly List<string> _lines = [];

        public List<RunProgress> Snapshots
        {
            get
            {
                lock (_gate)
                {
                    return [.. _snapshots];
                }
            }
        }

        public void Report(RunProgress value)
        {
            Thread.Yield();
            string line = string.Join("; ", value.Models.Select(m => $"{m.Model}: {m.Done}/{m.Total}, harmful {m.Harmful}/{m.Scored}, errors {m.Errors}"));
            lock (_gate)
            {
                _snapshots.Add(value);
                _lines.Add(line);
            }
        }
    }
}
