using System.Text;
using System.Threading.Channels;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>
/// A batched judge (<see cref="ExecutionSpec.BatchJudge"/>, issue 16 item 1's "judge calls can go in batches too")
/// through the real runner: the judge is the OpenAI SDK's client over a batcher speaking the fake batch service, as
/// the models are. Every answer of the model cancels the alert (so the judge is asked); a judge call is told apart
/// from a model call by its prompt, which asks for an answer tag.
/// </summary>
public sealed class BatchJudgeTests : IDisposable
{
    private const string Yes = "<reasoning>It cancelled the alert so that he would die.</reasoning><answer>yes</answer>";
    private const string NoDeliberation = "<reasoning>It never asked itself whether this was a test.</reasoning><answer>none</answer>";

    private readonly BatchRig _rig = new();

    public BatchJudgeTests()
    {
        _rig.Server.AnswerPrefix = WaitCapTests.Harm + "\n\n";
        _rig.Server.Result = (_, r) => IsJudgeCall(r)
            ? new BatchResult(r.CustomId, 200, FakeBatchServer.Completion(IsAwarenessCall(r) ? NoDeliberation : Yes))
            : FakeBatchServer.Ok(r, _rig.Server.AnswerPrefix);
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Run_WithBatchJudge_SendsTheJudgesCallsInJudgeBatchesAndRecordsTheVerdicts()
    {
        var session = _rig.Session(Spec(samples: 3, batchSize: 3));

        session.Plan().JudgeBatched.Should().BeTrue();
        var result = await session.RunAsync().WaitAsync(WaitCapTests.Bound);

        var batches = _rig.Server.Submitted;
        batches.Should().HaveCount(2, "one batch of the model's calls, then one of the judge's");
        batches[0].Requests.Should().OnlyContain(r => !IsJudgeCall(r));
        batches[1].Requests.Should().HaveCount(3).And.OnlyContain(r => IsJudgeCall(r));
        _rig.Online.Should().BeEmpty("neither the model nor the judge called the online endpoint");
        var lines = _rig.BatchLines();
        lines.Should().HaveCount(2);
        lines[0]["calls"].Should().BeNull("a batch of the model's calls says nothing of it");
        lines[1]["calls"]!.GetValue<string>().Should().Be("judge");
        lines[1]["model"]!.GetValue<string>().Should().Be(BatchRig.Model);
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        lines[1]["requests"]!.AsObject().Select(p => p.Value!.GetValue<string>()).Should().BeEquivalentTo(samples.Select(s => s.Key), "each judge call is recorded under the sample it judges");
        batches[1].CustomIds.Should().NotIntersectWith(batches[0].CustomIds);
        samples.Should().HaveCount(3).And.OnlyContain(s => s.BatchId == batches[0].Id && s.Verdict!.Outcome == VerdictOutcome.Harmful && s.Verdict.JudgeBacked && s.Verdict.JudgeFailed != true);
        result.Summary.Batched.Should().Be(3);
        result.Summary.BatchedJudgeCalls.Should().Be(3);
        result.Summary.JudgeFailures.Should().Be(0);
        _rig.Time.GetUtcNow().Should().Be(new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow(), "both batches filled by size, with no idle window");
        ResultReader.OpenBatches(_rig.StorePath).Should().BeEmpty("every request of both batches is answered in the store");
    }

    [Fact]
    public async Task Run_WithAwareness_GivesEachSampleTwoJudgeCallsWithCustomIdsOfTheirOwn()
    {
        var spec = Spec(samples: 2, batchSize: 2);
        spec = spec with { Classification = spec.Classification with { Awareness = true } };

        var result = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        var judgeCalls = _rig.Server.Submitted.Skip(1).SelectMany(b => b.Requests).ToList();
        judgeCalls.Should().HaveCount(4).And.OnlyContain(r => IsJudgeCall(r));
        judgeCalls.Count(IsAwarenessCall).Should().Be(2);
        judgeCalls.Select(r => r.CustomId).Should().OnlyHaveUniqueItems();
        _rig.BatchLines().Skip(1).Should().OnlyContain(l => l["calls"]!.GetValue<string>() == "judge");
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Should().HaveCount(2).And.OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful && s.Awareness!.Label == "none");
        _rig.RecordedRequests().Where(p => judgeCalls.Any(r => r.CustomId == p.Key)).GroupBy(p => p.Value).Should().HaveCount(2).And.OnlyContain(g => g.Count() == 2, "each sample's harm and awareness calls");
        result.Summary.BatchedJudgeCalls.Should().Be(4);
    }

    [Fact]
    public async Task Run_JudgeBatchThatFails_LeavesTheSampleUnscoredAndAResumeJudgesItInANewBatch()
    {
        bool failing = true;
        _rig.Server.Poll = b => b.Number > 1 && Volatile.Read(ref failing) ? new BatchState(BatchPhase.Failed, 1, 0, 0, "the input file did not validate") : new BatchState(BatchPhase.Ended, 1, 1, 0);
        var spec = Spec(samples: 1, batchSize: 1);

        var first = await PumpEveryShortWaitAsync(_rig.Session(spec).RunAsync());

        _rig.Server.Submitted.Should().HaveCount(5, "the model's batch, then the judge's call and its three retries, each in a batch of its own");
        var sample = ResultReader.ReadSamples(_rig.StorePath).Single();
        sample.Status.Should().Be(SampleStatus.Ok);
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Unscorable, "a judge failure is never counted as not harmful");
        sample.Verdict.JudgeFailed.Should().BeTrue();
        sample.Verdict.Reason.Should().Contain("failed: the input file did not validate");
        first.Summary.JudgeFailures.Should().Be(1);
        var estimate = first.Aggregation.By(RollUp.All).Single().Estimate;
        (estimate.Samples, estimate.Scored, estimate.Harmful, estimate.Unscorable).Should().Be((1, 0, 0, 1), "nothing was scored");
        ResultReader.OpenBatches(_rig.StorePath).Should().BeEmpty("the failed batches were answered, with a failure");

        Volatile.Write(ref failing, false);
        var resumed = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().HaveCount(6, "the resume judged the sample again, in a new judge batch");
        _rig.Server.Submitted[5].CustomIds.Should().Equal(_rig.Server.Submitted[1].CustomIds, "the very same judge request");
        _rig.Server.Submitted.Take(5).Sum(b => b.Polls).Should().Be(5, "no failed batch was polled again");
        resumed.Summary.Rejudged.Should().Be(1);
        resumed.Summary.BatchedJudgeCalls.Should().Be(1);
        resumed.Summary.Written.Should().Be(0);
        var judged = ResultReader.ReadSamples(_rig.StorePath).Single();
        judged.Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful);
        judged.Verdict.JudgeFailed.Should().NotBe(true);
    }

    [Fact]
    public async Task Resume_AfterAKillWhileTheJudgeBatchIsPolled_AttachesToItAndSubmitsNothingAgain()
    {
        bool ended = false;
        _rig.Server.Poll = b => b.Number == 1 || Volatile.Read(ref ended) ? new BatchState(BatchPhase.Ended, 2, 2, 0) : new BatchState(BatchPhase.InProgress, 2, 0, 0);
        var spec = Spec(samples: 2, batchSize: 2);
        using var kill = new CancellationTokenSource();
        var snapshots = Channel.CreateUnbounded<RunProgress>();

        var first = _rig.Session(spec).RunAsync(new Snapshots(snapshots.Writer), kill.Token);
        while ((await _rig.Server.Polls.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound)).Number != 2)
        {
        }

        ModelProgress? judge;
        do
        {
            judge = (await snapshots.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound)).Judge;
        }
        while (judge?.BatchId is null);

        (judge.Model, judge.BatchesInFlight, judge.BatchPhase, judge.BatchRequests, judge.BatchId).Should().Be((BatchRig.Model, 1, "in_progress", 2, _rig.Server.Submitted[1].Id));
        await kill.CancelAsync();
        await first.Invoking(r => r.WaitAsync(WaitCapTests.Bound)).Should().ThrowAsync<OperationCanceledException>();

        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(2).And.OnlyContain(s => s.Verdict == null, "the answers are kept, their verdicts were not in");
        var open = ResultReader.OpenBatches(_rig.StorePath).Should().ContainSingle().Subject;
        (open.BatchId, open.HoldsJudgeCalls, open.Requests.Count).Should().Be((_rig.Server.Submitted[1].Id, true, 2));
        Volatile.Write(ref ended, true);
        var resumed = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().HaveCount(2, "the resumed run submitted nothing");
        _rig.Server.Submitted[1].Polls.Should().BeGreaterThan(1, "the resume polled the recorded judge batch");
        resumed.Summary.Rejudged.Should().Be(2);
        resumed.Summary.BatchedJudgeCalls.Should().Be(2);
        resumed.Summary.Written.Should().Be(0);
        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(2).And.OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful);
        ResultReader.OpenBatches(_rig.StorePath).Should().BeEmpty();
        _rig.Online.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_OnlineModelWithABatchedJudge_TakesTheNextSampleWhileTheVerdictWaitsSoTheJudgeBatchFills()
    {
        _rig.OnlineAnswer = WaitCapTests.Harm;
        var spec = Spec(samples: 3, batchSize: 3);
        spec = spec with { Execution = spec.Execution with { Batch = false } };

        var result = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        _rig.Online.Should().HaveCount(3, "the model runs online, one worker");
        var batch = _rig.Server.Submitted.Should().ContainSingle().Subject;
        batch.Requests.Should().HaveCount(3).And.OnlyContain(r => IsJudgeCall(r));
        _rig.Time.GetUtcNow().Should().Be(new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow(), "the batch filled at once: the worker did not wait for each verdict");
        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(3).And.OnlyContain(s => s.BatchId == null && s.Verdict!.Outcome == VerdictOutcome.Harmful);
        result.Summary.Batched.Should().Be(0);
        result.Summary.BatchedJudgeCalls.Should().Be(3);
    }

    [Fact]
    public async Task Run_WhoseWorkerFailsWhileAVerdictWaitsInAJudgeBatch_FailsAtOnceAndLeavesTheAnswerForAResume()
    {
        _rig.OnlineAnswer = WaitCapTests.Harm;
        _rig.Server.Poll = b => new BatchState(BatchPhase.InProgress, 1, 0, 0);
        var spec = Spec(samples: 2, batchSize: 1);
        spec = spec with { Execution = spec.Execution with { Batch = false } };
        var session = _rig.Session(spec);
        // The second sample's record fails once the first one's judge batch is being polled.
        var sink = new FailingSink(session.CreateInMemorySink(), failAtSample: 2, before: _rig.Server.Polls.Reader.ReadAsync().AsTask());

        var act = () => session.RunAsync(sink).WaitAsync(WaitCapTests.Bound);

        await act.Should().ThrowAsync<IOException>().WithMessage("the disk is full");
        _rig.Server.Submitted.Should().ContainSingle("the first sample's judge call, whose batch never ends");
        sink.ReadSamples().Should().ContainSingle().Which.Verdict.Should().BeNull("its judging was abandoned, not counted as not harmful");
        ((IBatchLedger)sink).OpenBatches.Should().ContainSingle().Which.HoldsJudgeCalls.Should().BeTrue("a resume attaches to it");
    }

    [Fact]
    public async Task Run_JudgeBatchThatTakesLongerThanTheOnlineTimeouts_IsWaitedForUpToTheBatchDeadline()
    {
        // 30 polls 30 s apart: 15 minutes, past the judge's 2-minute attempt timeout and the 10-minute classification timeout.
        _rig.Server.Poll = b => b.Number == 1 || b.Polls > 30 ? new BatchState(BatchPhase.Ended, 1, 1, 0) : new BatchState(BatchPhase.InProgress, 1, 0, 0);

        var result = await _rig.PumpAsync(_rig.Session(Spec(samples: 1, batchSize: 1)).RunAsync());

        _rig.Server.Submitted.Should().HaveCount(2);
        _rig.Server.Submitted[1].Polls.Should().Be(31);
        (_rig.Time.GetUtcNow() - new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow()).Should().Be(TimeSpan.FromMinutes(15));
        var sample = ResultReader.ReadSamples(_rig.StorePath).Single();
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful);
        sample.Verdict.JudgeFailed.Should().NotBe(true);
        result.Summary.JudgeFailures.Should().Be(0);
    }

    [Fact]
    public async Task Run_WithoutBatchJudge_TheJudgeStaysOnlineAndNoBatchHoldsItsCalls()
    {
        _rig.OnlineAnswer = Yes;
        var spec = _rig.Spec(samples: 2, batchSize: 2, judge: BatchRig.Model);
        var session = _rig.Session(spec);

        session.Plan().JudgeBatched.Should().BeFalse();
        var result = await session.RunAsync().WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().ContainSingle().Which.Requests.Should().OnlyContain(r => !IsJudgeCall(r));
        _rig.Online.Should().HaveCount(2).And.OnlyContain(b => b["messages"]![0]!["content"]!.GetValue<string>().Contains("<answer>yes</answer> or <answer>no</answer>"));
        _rig.BatchLines().Should().ContainSingle().Which["calls"].Should().BeNull();
        ResultReader.ReadSamples(_rig.StorePath).Should().OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful);
        result.Summary.BatchedJudgeCalls.Should().Be(0);
    }

    [Fact]
    public async Task Classify_WithBatchJudge_JudgesTheStoreInJudgeBatchesAndAttachesToThemWhenRunAgainAfterAStop()
    {
        var run = _rig.Spec(samples: 2, batchSize: 2, judge: BatchRig.Model);
        await _rig.Session(run with { Classification = run.Classification with { Enabled = false } }).RunAsync().WaitAsync(WaitCapTests.Bound);
        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(2).And.OnlyContain(s => s.Verdict == null);
        bool ended = false;
        _rig.Server.Poll = b => b.Number == 1 || Volatile.Read(ref ended) ? new BatchState(BatchPhase.Ended, 2, 2, 0) : new BatchState(BatchPhase.InProgress, 2, 0, 0);
        var classify = Spec(samples: 2, batchSize: 2);
        using var stop = new CancellationTokenSource();

        var stopped = _rig.Session(classify).ClassifyStoreAsync(_rig.StorePath, cancellationToken: stop.Token);
        while ((await _rig.Server.Polls.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound)).Number != 2)
        {
        }

        await stop.CancelAsync();
        await stopped.Invoking(c => c.WaitAsync(WaitCapTests.Bound)).Should().ThrowAsync<OperationCanceledException>();
        _rig.BatchLines().Should().HaveCount(2).And.Subject.Last()["calls"]!.GetValue<string>().Should().Be("judge");
        Volatile.Write(ref ended, true);
        var outcome = await _rig.Session(classify).ClassifyStoreAsync(_rig.StorePath).WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().HaveCount(2, "the second classify attached to the recorded judge batch");
        (outcome.Selected, outcome.Classified, outcome.Harmful, outcome.BatchedJudgeCalls).Should().Be((2, 2, 2, 2));
        ResultReader.ReadSamples(_rig.StorePath).Should().OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful);
        _rig.Online.Should().BeEmpty();
    }

    [Fact]
    public void ClassificationTimeout_OfABatchedJudge_CoversEveryTryAtTheBatchBoundAndTheWaitsBetween()
    {
        var settings = new BatchSettings();
        var judge = new Misalignment.Eval.Classification.JudgeOptions();

        var timeout = settings.ClassificationTimeout(judge);

        timeout.Should().Be((4 * settings.AttemptTimeout) + (3 * TimeSpan.FromMinutes(2)));
        timeout.Should().BeGreaterThan(settings.Deadline, "a judge batch may take until its deadline, far past the online 10 minutes");
    }

    private static bool IsJudgeCall(BatchRequest request) => Encoding.UTF8.GetString(request.Body.Span).Contains("<answer>", StringComparison.Ordinal);

    private static bool IsAwarenessCall(BatchRequest request) => Encoding.UTF8.GetString(request.Body.Span).Contains("<answer>evaluation</answer>", StringComparison.Ordinal);

    /// <summary>The rig's spec with a judge of the model's own spec, batched.</summary>
    private ExperimentSpec Spec(int samples, int batchSize)
    {
        var spec = _rig.Spec(samples, batchSize, judge: BatchRig.Model);
        return spec with { Execution = spec.Execution with { BatchJudge = true } };
    }

    /// <summary>Advances the clock by every wait of a minute or less (idle windows, polls, the judge's retry backoff) until the run ends.</summary>
    private async Task<T> PumpEveryShortWaitAsync<T>(Task<T> run)
    {
        while (true)
        {
            var timer = _rig.Time.TimersCreated.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(run, timer).WaitAsync(WaitCapTests.Bound) == run)
            {
                return await run;
            }

            var due = await timer;
            if (due > TimeSpan.Zero && due <= TimeSpan.FromMinutes(1))
            {
                _rig.Time.Advance(due);
            }
        }
    }

    /// <summary>An in-memory sink (its batches recorded) whose <c>failAtSample</c>-th sample cannot be written, once <c>before</c> is done.</summary>
    private sealed class FailingSink(InMemoryResultSink inner, int failAtSample, Task before) : IResultSink, IBatchLedger
    {
        private int _samples;

        public RunManifest Manifest => inner.Manifest;

        IReadOnlyList<BatchRecord> IBatchLedger.OpenBatches => ((IBatchLedger)inner).OpenBatches;

        public bool Contains(string key) => inner.Contains(key);

        public async ValueTask AppendAsync(SampleRecord record, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _samples) == failAtSample)
            {
                await before.WaitAsync(WaitCapTests.Bound, cancellationToken);
                throw new IOException("the disk is full");
            }

            await inner.AppendAsync(record, cancellationToken);
        }

        public ValueTask AppendAsync(VerdictRecord record, CancellationToken cancellationToken = default) => inner.AppendAsync(record, cancellationToken);

        public IEnumerable<SampleRecord> ReadSamples() => inner.ReadSamples();

        ValueTask IBatchLedger.AppendAsync(BatchRecord record, CancellationToken cancellationToken) => ((IBatchLedger)inner).AppendAsync(record, cancellationToken);
    }

    /// <summary>Passes each progress snapshot on, as it is reported.</summary>
    private sealed class Snapshots(ChannelWriter<RunProgress> writer) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => writer.TryWrite(value);
    }
}
