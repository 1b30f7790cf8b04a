using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

public class ResultStoreTests : RunnerTestBase
{
    private static readonly RunOptions Options = new() { SamplesPerCondition = 2, RetryDelay = TimeSpan.Zero };

    private static ExperimentRunner Runner(FakeChatModel model, RunOptions? options = null) =>
        new(Catalog, TwoConditions, [new(model)], options ?? Options);

    [Fact]
    public async Task Resume_AfterPartialRun_SkipsDoneSamplesAndRetriesFailedOnes()
    {
        var flaky = new FakeChatModel("fake:m", (_, call, _) => call == 2 ? throw new HttpRequestException("bad", null, System.Net.HttpStatusCode.BadRequest) : Task.FromResult(new ModelResponse { Text = "ok" }));
        var first = Runner(flaky, Options with { Concurrency = 1 });
        await using (var store = ResultStore.Create(StorePath, first.CreateManifest("exp")))
        {
            (await RunAllAsync(first, store)).Should().HaveCount(4);
        }

        var healthy = FakeChatModel.Answering("fake:m");
        var second = Runner(healthy);
        await using (var resumed = ResultStore.Resume(StorePath, second.CreateManifest("exp"), retryFailed: true, out var report))
        {
            report.Should().Be(new ResumeReport { Done = 3, Retrying = 1, Compacted = true, Usage = report.Usage });
            (report.Usage.Samples, report.Usage.Priced).Should().Be((4, 0), "the store's four samples are counted, none of them priced");
            (await RunAllAsync(second, resumed)).Should().ContainSingle().Which.Status.Should().Be(SampleStatus.Ok);
        }

        healthy.Calls.Should().Be(1);
        var all = ResultReader.ReadSamples(StorePath).ToList();
        all.Should().HaveCount(4).And.OnlyHaveUniqueItems(r => r.Key).And.OnlyContain(r => r.Status == SampleStatus.Ok);
    }

    [Fact]
    public async Task Resume_TornLastLine_IsDroppedReportedAndTheSampleRunsAgain()
    {
        var model = FakeChatModel.Answering("fake:m");
        var runner = Runner(model);
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            await RunAllAsync(runner, store);
        }

        string text = await File.ReadAllTextAsync(StorePath);
        await File.WriteAllTextAsync(StorePath, text[..^40]);

        ResultReader.Inspect(StorePath).TornLine.Should().Be(5);
        var again = Runner(FakeChatModel.Answering("fake:m"));
        await using (var resumed = ResultStore.Resume(StorePath, again.CreateManifest("exp"), retryFailed: true, out var report))
        {
            report.DroppedTornLine.Should().Be(5);
            report.Done.Should().Be(3);
            (await RunAllAsync(again, resumed)).Should().ContainSingle();
        }

        ResultReader.ReadSamples(StorePath).Should().HaveCount(4).And.OnlyHaveUniqueItems(r => r.Key);
        ResultReader.Inspect(StorePath).TornLine.Should().BeNull();
    }

    [Fact]
    public async Task Resume_DifferentSpec_IsRefusedNamingWhatDiffers()
    {
        var runner = Runner(FakeChatModel.Answering("fake:m"));
        await (ResultStore.Create(StorePath, runner.CreateManifest("exp"))).DisposeAsync();
        var other = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:other"))], Options with { SamplesPerCondition = 5 });

        var act = () => ResultStore.Resume(StorePath, other.CreateManifest("exp"), retryFailed: true, out _);

        act.Should().Throw<MisalignmentEvalException>()
            .WithMessage("*was made by a different run, so it cannot be resumed; these differ: models (stored: fake:m; now: fake:other); samples_per_condition (stored: 2; now: 5)*");
    }

    [Fact]
    public async Task Create_ExistingStore_IsRefused()
    {
        var runner = Runner(FakeChatModel.Answering("fake:m"));
        await ResultStore.Create(StorePath, runner.CreateManifest("exp")).DisposeAsync();

        var act = () => ResultStore.Create(StorePath, runner.CreateManifest("exp"));

        act.Should().Throw<MisalignmentEvalException>().WithMessage("*already holds results; resume it (--resume) or write to another folder (--out).");
    }

    [Fact]
    public async Task Append_SameKeyTwice_IsRejected()
    {
        var runner = Runner(FakeChatModel.Answering("fake:m"));
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("exp"));
        var record = (await RunAllAsync(runner, store))[0];

        var act = async () => await store.AppendAsync(record);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*is already in*a key is never written twice.");
    }

    [Fact]
    public async Task Read_MalformedMiddleLine_NamesFileAndLine()
    {
        var runner = Runner(FakeChatModel.Answering("fake:m"));
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            await RunAllAsync(runner, store);
        }

        var lines = (await File.ReadAllLinesAsync(StorePath)).ToList();
        lines[2] = "{not json";
        await File.WriteAllLinesAsync(StorePath, lines);

        var act = () => ResultReader.ReadSamples(StorePath).ToList();

        act.Should().Throw<MisalignmentEvalException>().WithMessage($"{StorePath}:3: not a valid store record*");
    }

    [Fact]
    public async Task VerdictRecords_SupersedeInlineVerdicts_AndCompactionMergesThem()
    {
        var runner = Runner(FakeChatModel.Answering("fake:m"));
        string key;
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            key = (await RunAllAsync(runner, store))[0].Key;
            await store.AppendAsync(new VerdictRecord { Key = key, Verdict = new RecordedVerdict { Outcome = VerdictOutcome.Harmful, Classifier = "manual" } });
        }

        ResultReader.ReadSamples(StorePath).Single(r => r.Key == key).Verdict!.Classifier.Should().Be("manual");
        await using (ResultStore.Resume(StorePath, runner.CreateManifest("exp"), retryFailed: false, out var report))
        {
            report.Compacted.Should().BeTrue();
        }

        ResultReader.Inspect(StorePath).VerdictRecords.Should().Be(0);
        ResultReader.ReadSamples(StorePath).Single(r => r.Key == key).Verdict!.Classifier.Should().Be("manual");
    }
}
