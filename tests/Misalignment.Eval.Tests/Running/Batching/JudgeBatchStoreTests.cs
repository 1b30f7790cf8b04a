using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>The store's judge batch lines (<c>"calls":"judge"</c>): open until a verdict of their sample follows them, not until a sample line does.</summary>
public sealed class JudgeBatchStoreTests : RunnerTestBase
{
    private const string Judged = "fake:m|murder_explicit-safety_replacement|1";
    private const string Unjudged = "fake:m|blackmail_none-none_none|1";

    private static readonly BatchRecord JudgeBatch = new()
    {
        BatchId = "batch_judge1",
        Provider = "openai",
        Model = "openai:gpt-4.1",
        Calls = BatchRecord.JudgeCalls,
        SubmittedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        Requests = new Dictionary<string, string> { ["j1"] = Judged, ["j2"] = Unjudged },
    };

    /// <summary>Two samples, then a judge batch of both, then a verdict of the first.</summary>
    private async Task<RunManifest> StoreWithAJudgeBatchAsync()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions());
        var manifest = runner.CreateManifest("exp");
        await using (var store = ResultStore.Create(StorePath, manifest))
        {
            await RunAllAsync(runner, store);
            await ((IBatchLedger)store).AppendAsync(JudgeBatch, CancellationToken.None);
            await store.AppendAsync(new VerdictRecord { Key = Judged });
        }

        File.ReadAllLines(StorePath)[3].Should().Contain("\"model\":\"openai:gpt-4.1\",\"calls\":\"judge\",\"submittedAt\"");
        return manifest;
    }

    [Fact]
    public async Task OpenBatches_JudgeBatchAfterItsSamples_StaysOpenForTheSampleWhoseVerdictHasNotFollowed()
    {
        await StoreWithAJudgeBatchAsync();

        var open = ResultReader.OpenBatches(StorePath).Should().ContainSingle().Subject;
        open.Requests.Should().Equal(new Dictionary<string, string> { ["j2"] = Unjudged });
        open.HoldsJudgeCalls.Should().BeTrue();
    }

    [Fact]
    public async Task Resume_ThatCompacts_KeepsTheOpenJudgeBatchAfterTheSamplesAndStillOpen()
    {
        var manifest = await StoreWithAJudgeBatchAsync();

        await using (var store = ResultStore.Resume(StorePath, manifest, retryFailed: true, out var report))
        {
            report.Compacted.Should().BeTrue("a verdict line is folded in");
            ((IBatchLedger)store).OpenBatches.Should().ContainSingle().Which.Requests.Keys.Should().Equal("j2");
        }

        var lines = File.ReadAllLines(StorePath);
        lines.Should().HaveCount(4, "the manifest, two samples and the judge batch");
        lines[^1].Should().Contain("\"calls\":\"judge\"").And.Contain("\"requests\":{\"j2\":\"" + Unjudged + "\"}");
        ResultReader.OpenBatches(StorePath).Single().Requests.Keys.Should().Equal("j2");
    }

    [Fact]
    public async Task Run_OverAStoreWithAnOpenJudgeBatch_OffersItToTheJudgeOnlyAndNotToANewSample()
    {
        var manifest = await StoreWithAJudgeBatchAsync();
        await using var store = ResultStore.Resume(StorePath, manifest, retryFailed: true, out _);

        using var run = new BatchRun(store, TimeProvider.System);

        run.Attachable.Should().Be(1, "the unjudged sample's judge call may attach; the judged one's is closed");
        run.TryAttach("j2", "openai", judge: false, out _).Should().BeFalse("a model's call never takes a judge call's answer");
    }

    [Fact]
    public async Task Read_BatchLineWithCallsTheWriterNeverWrites_IsAnErrorNamingTheKey()
    {
        await StoreWithAJudgeBatchAsync();
        var lines = File.ReadAllLines(StorePath);
        lines[3] = lines[3].Replace("\"calls\":\"judge\"", "\"calls\":\"model\"", StringComparison.Ordinal);
        File.WriteAllLines(StorePath, lines);

        var act = () => ResultReader.ReadSamples(StorePath).ToList();

        act.Should().Throw<MisalignmentEvalException>().WithMessage($"{StorePath}:4: key 'calls' of a batch line is 'model'; it is 'judge' for a batch of judge calls, or absent.");
    }
}
