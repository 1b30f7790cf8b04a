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
    public async Task RunAsync_ConsumerStopsEarly_WorkersStopBeforeTheStoreIsDisposed()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions { SamplesPerCondition = 50, Concurrency = 2 });
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            await foreach (var _ in runner.RunAsync(store))
            {
                break;
            }
        }

        var samples = ResultReader.ReadSamples(StorePath).ToList();
        samples.Should().NotBeEmpty().And.OnlyHaveUniqueItems(s => s.Key);
        ResultReader.Inspect(StorePath).TornLine.Should().BeNull();
    }
}
