using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

public class StoreSafetyTests : RunnerTestBase
{
    [Fact]
    public async Task Create_WhileAnotherWriterHoldsTheStore_IsRefused()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions());
        await using var first = ResultStore.Create(StorePath, runner.CreateManifest("exp"));

        var second = () => ResultStore.Resume(StorePath, runner.CreateManifest("exp"), retryFailed: true, out _);

        second.Should().Throw<MisalignmentEvalException>().WithMessage("*is being written by another misalign process*");
    }

    [Fact]
    public async Task Resume_LastLineWithoutNewline_IsEndedBeforeAppending()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions { SamplesPerCondition = 2 });
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            await RunAllAsync(runner, store);
        }

        var lines = (await File.ReadAllLinesAsync(StorePath)).ToList();
        await File.WriteAllTextAsync(StorePath, string.Join("\n", lines.Take(lines.Count - 1)));
        await using (var resumed = ResultStore.Resume(StorePath, runner.CreateManifest("exp"), retryFailed: true, out var report))
        {
            report.DroppedTornLine.Should().BeNull("the last line was complete, only its newline was missing");
            (await RunAllAsync(runner, resumed)).Should().ContainSingle();
        }

        ResultReader.ReadSamples(StorePath).Should().HaveCount(4).And.OnlyHaveUniqueItems(s => s.Key);
    }

    [Fact]
    public async Task RunAsync_CancelledAfterTheFirstRecord_WorkersStopBeforeTheStoreIsDisposed()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions { SamplesPerCondition = 50, Concurrency = 2 });
        using var stop = new CancellationTokenSource();
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            var run = () => runner.RunAsync(new CancellingSink(store, stop), null, stop.Token);
            await run.Should().ThrowAsync<OperationCanceledException>();
        }

        var samples = ResultReader.ReadSamples(StorePath).ToList();
        samples.Should().NotBeEmpty().And.OnlyHaveUniqueItems(s => s.Key);
        ResultReader.Inspect(StorePath).TornLine.Should().BeNull();
    }

    /// <summary>Passes records to a store and cancels the run once the first one is written.</summary>
    private sealed class CancellingSink(ResultStore store, CancellationTokenSource stop) : IResultSink
    {
        public RunManifest Manifest => store.Manifest;

        public bool Contains(string key) => store.Contains(key);

        public async ValueTask AppendAsync(SampleRecord record, CancellationToken cancellationToken = default)
        {
            await store.AppendAsync(record, cancellationToken);
            await stop.CancelAsync();
        }

        public ValueTask AppendAsync(VerdictRecord record, CancellationToken cancellationToken = default) => store.AppendAsync(record, cancellationToken);

        public IEnumerable<SampleRecord> ReadSamples() => store.ReadSamples();
    }
}
