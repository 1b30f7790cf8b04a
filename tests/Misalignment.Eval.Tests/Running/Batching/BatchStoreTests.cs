using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>The store's batch lines: readers, reports and merges ignore them; a resume keeps those it may still attach to.</summary>
public sealed class BatchStoreTests : RunnerTestBase
{
    private const string Answered = "fake:m|murder_explicit-safety_replacement|1";
    private const string Pending = "fake:m|murder_explicit-safety_replacement|2";

    private static readonly BatchRecord Batch = new()
    {
        BatchId = "batch_abc123",
        Provider = "openai",
        Model = "fake:m",
        SubmittedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        Requests = new Dictionary<string, string> { ["c1"] = Answered, ["c2"] = Pending },
    };

    /// <summary>A store whose batch line comes before the run's two samples: one of its requests is answered after it, one is not.</summary>
    private async Task<RunManifest> StoreWithABatchLineAsync()
    {
        // The model is batched, as the one that left the batch line was (a run calling it online would be refused).
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m")) { Batched = true }], new RunOptions());
        var manifest = runner.CreateManifest("exp");
        await using (var store = ResultStore.Create(StorePath, manifest))
        {
            await ((IBatchLedger)store).AppendAsync(Batch, CancellationToken.None);
            await RunAllAsync(runner, store);
        }

        File.ReadAllLines(StorePath)[1].Should().StartWith("{\"type\":\"batch\",\"batchId\":\"batch_abc123\",\"provider\":\"openai\",\"model\":\"fake:m\",\"submittedAt\":\"2026-12-01T12:00:00+00:00\",\"requests\":{\"c1\":");
        return manifest;
    }

    [Fact]
    public async Task Readers_StoreWithABatchLine_ReadTheSamplesAsIfItWereNotThere()
    {
        await StoreWithABatchLineAsync();

        ResultReader.ReadSamples(StorePath).Select(s => s.Key).Should().HaveCount(2).And.Contain(Answered);
        var summary = ResultReader.Inspect(StorePath);
        (summary.Ok, summary.Errors, summary.TornLine).Should().Be((2, 0, null));
        Aggregator.FromStore(StorePath).By(RollUp.All).Single().Estimate.Samples.Should().Be(2);
        var report = await Cli.CliRunner.RunAsync("report", "--results", StorePath, "--out", Path.Combine(Path.GetDirectoryName(StorePath)!, "report"));
        report.ExitCode.Should().Be(0, report.Error);
    }

    [Fact]
    public async Task OpenBatches_BatchWithOneRequestAnsweredAfterIt_KeepsOnlyTheOtherRequest()
    {
        await StoreWithABatchLineAsync();

        var open = ResultReader.OpenBatches(StorePath).Should().ContainSingle().Subject;
        open.Requests.Should().Equal(new Dictionary<string, string> { ["c2"] = Pending });
        open.BatchId.Should().Be(Batch.BatchId);
    }

    [Fact]
    public async Task Resume_WithoutCompaction_LeavesTheFileAsItIsAndOffersTheOpenBatch()
    {
        var manifest = await StoreWithABatchLineAsync();
        byte[] before = await File.ReadAllBytesAsync(StorePath);

        await using (var store = ResultStore.Resume(StorePath, manifest, retryFailed: true, out var report))
        {
            report.Compacted.Should().BeFalse();
            ((IBatchLedger)store).OpenBatches.Should().ContainSingle().Which.Requests.Keys.Should().Equal("c2");
        }

        (await File.ReadAllBytesAsync(StorePath)).Should().Equal(before);
    }

    [Fact]
    public async Task Resume_ThatCompacts_KeepsTheOpenPartOfTheBatchAndDropsTheAnsweredPart()
    {
        var manifest = await StoreWithABatchLineAsync();
        await using (var store = ResultStore.Resume(StorePath, manifest, retryFailed: true, out _))
        {
            await store.AppendAsync(new VerdictRecord { Key = Answered });
        }

        await using (var store = ResultStore.Resume(StorePath, manifest, retryFailed: true, out var report))
        {
            report.Compacted.Should().BeTrue("a verdict line is folded in");
        }

        var lines = File.ReadAllLines(StorePath);
        lines.Should().HaveCount(4, "the manifest, two samples and the batch");
        lines[^1].Should().Contain("\"requests\":{\"c2\":\"" + Pending + "\"}");
        ResultReader.OpenBatches(StorePath).Single().Requests.Keys.Should().Equal("c2");
    }

    [Fact]
    public async Task Merge_StoreWithABatchLine_CopiesTheSamplesAndNoBatch()
    {
        await StoreWithABatchLineAsync();
        string target = Path.Combine(Path.GetDirectoryName(StorePath)!, "merged", ResultStore.FileName);

        var (written, _) = await ExperimentSession.MergeStoresAsync([StorePath], target);

        written.Should().Be(2);
        File.ReadAllLines(target).Should().HaveCount(3).And.NotContain(l => l.Contains("\"type\":\"batch\""));
    }

    [Theory]
    [InlineData("\"requests\":{}", "key 'requests' of a batch line must name at least one request.")]
    [InlineData("\"batchId\":\"\"", "keys 'batchId', 'provider' and 'model' of a batch line must not be empty.")]
    [InlineData("\"requests\":{\"c1\":\"\"}", "key 'requests' of a batch line maps each custom id to a sample key; neither may be empty.")]
    [InlineData("\"requests\":null", "not a valid store record: key 'requests': expected a value, not null.")]
    public async Task Read_BatchLineThatTheWriterNeverWrites_IsAnErrorNamingFileAndLine(string replacement, string expected)
    {
        await StoreWithABatchLineAsync();
        var lines = File.ReadAllLines(StorePath);
        lines[1] = System.Text.RegularExpressions.Regex.Replace(lines[1], replacement.StartsWith("\"requests\"", StringComparison.Ordinal) ? "\"requests\":\\{[^}]*\\}" : "\"batchId\":\"[^\"]*\"", replacement);
        File.WriteAllLines(StorePath, lines);

        var act = () => ResultReader.ReadSamples(StorePath).ToList();

        act.Should().Throw<MisalignmentEvalException>().WithMessage($"{StorePath}:2: {expected}");
    }
}
