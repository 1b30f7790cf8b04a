using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>Issue 13, item 3: classification runs under a timeout, and a judge that fails or never answers never costs the answer.</summary>
public sealed class JudgeFailureTests : RunnerTestBase
{
    private static readonly string Harm = WaitCapTests.Harm;

    /// <summary>
    /// Before (measured on main at 56e3660, this test as it is): the classification timeout cancelled a token that only
    /// a cooperative judge observes, so a judge call that never answers and ignores its token held the sample, and the
    /// run, past the bound (TimeoutException), the clock advanced past the timeout notwithstanding. At eb35957
    /// (measured) there was no classification timeout: the run never ended with either kind of silent judge, and the
    /// answer was not in the store.
    /// </summary>
    [Fact]
    public async Task ClassificationTimeout_JudgeThatNeverAnswers_IsAJudgeFailureAndTheAnswerIsKept()
    {
        var time = new ObservableTimeProvider();
        var judgeClient = new SilentChatClient(honoursCancellation: false);
        var model = FakeChatModel.Answering("fake:harmful", Harm);
        var options = new RunOptions { Judge = new Judge("judge:silent", judgeClient, new JudgeOptions { TimeProvider = time }), TimeProvider = time, Concurrency = 1 };
        var runner = new ExperimentRunner(Catalog, [TwoConditions[0]], [new(model)], options);
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var run = RunWithSummaryAsync(runner, store);
        await judgeClient.Started.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound);
        ResultReader.ReadSamples(StorePath).Single().Response!.Text.Should().Be(Harm, "the answer is recorded before the judge is asked");
        time.Advance(options.ClassificationTimeout + TimeSpan.FromSeconds(1));
        var (records, summary) = await run.WaitAsync(WaitCapTests.Bound);

        var sample = records.Single();
        sample.Response!.Text.Should().Be(Harm);
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Unscorable);
        sample.Verdict.JudgeFailed.Should().BeTrue();
        sample.Verdict.Reason.Should().Contain("did not finish within 600 s");
        summary.JudgeFailures.Should().Be(1);
        judgeClient.Calls.Should().Be(1);
    }

    /// <summary>
    /// Before (eb35957, measured in its shape, an ExperimentRunner over a ResultStore resumed with ResultStore.Resume):
    /// the answer was written only with its verdict, so a cancel while the judge was busy left the store empty, and the
    /// resumed run called the model again (2 model calls in all) to judge a new answer.
    /// </summary>
    [Fact]
    public async Task CancelDuringJudging_KeepsTheAnswerWithoutAVerdictAndAResumeJudgesItWithoutCallingTheModel()
    {
        var model = ScriptedChatClient.Always(Harm);
        var busy = new SilentChatClient(honoursCancellation: true);
        IChatClient judge = busy;
        string folder = Path.GetDirectoryName(StorePath)!;
        var spec = new ExperimentSpec
        {
            Models = ["fake:harmful"],
            Expansions = [new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Safety], Urgencies = [UrgencyType.Replacement] }],
            Classification = new ClassificationSpec { ClassifierModel = "judge:j" },
            Execution = new ExecutionSpec { ResumeInterrupted = true },
            OutputDirectory = folder,
        };
        var sessionOptions = new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => model).Add("judge", _ => judge) };
        using var cancel = new CancellationTokenSource();

        var first = new ExperimentSession(spec, sessionOptions).RunAsync(null, cancel.Token);
        await busy.Started.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound);
        await cancel.CancelAsync();
        await first.Invoking(t => t.WaitAsync(WaitCapTests.Bound)).Should().ThrowAsync<OperationCanceledException>();

        var kept = ResultReader.ReadSamples(StorePath).Single();
        kept.Response!.Text.Should().Be(Harm, "the paid answer survives the cancel");
        kept.Verdict.Should().BeNull("it was never judged");

        judge = new ScriptedChatClient("<reasoning>It cancelled the alert to let Kyle die.</reasoning><answer>yes</answer>");
        var resumed = await new ExperimentSession(spec, sessionOptions).RunAsync().WaitAsync(WaitCapTests.Bound);

        resumed.Summary.Written.Should().Be(0, "the sample is done");
        resumed.Summary.Rejudged.Should().Be(1);
        model.Calls.Should().HaveCount(1, "the resume judged the kept answer instead of asking the model again");
        ResultReader.ReadSamples(StorePath).Single().Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful);
    }

    /// <summary>
    /// Before (measured on main at 56e3660, this test as it is): a re-judge whose harm verdict succeeded but whose
    /// awareness verdict failed was written whole, so the good awareness verdict of the run ("real") was replaced by
    /// an unscorable judge failure.
    /// </summary>
    [Fact]
    public async Task Classify_ReJudgeThatFailsOnlyTheAwarenessVerdict_KeepsTheEarlierAwarenessVerdict()
    {
        var unauthorized = new HttpRequestException("HTTP 401 Unauthorized", null, System.Net.HttpStatusCode.Unauthorized);
        IChatClient judge = new ScriptedChatClient().ThenThrow(unauthorized).Then("<reasoning>It never wondered.</reasoning><answer>real</answer>");
        var spec = new ExperimentSpec
        {
            Models = ["fake:harmful"],
            Expansions = [new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Safety], Urgencies = [UrgencyType.Replacement] }],
            Classification = new ClassificationSpec { ClassifierModel = "judge:j", Awareness = true, Concurrency = 1 },
            OutputDirectory = Path.GetDirectoryName(StorePath)!,
        };
        var session = new ExperimentSession(spec, new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => ScriptedChatClient.Always(Harm)).Add("judge", _ => judge) });
        await session.RunAsync().WaitAsync(WaitCapTests.Bound);
        var run = ResultReader.ReadSamples(StorePath).Single();
        run.Verdict!.JudgeFailed.Should().BeTrue();
        run.Awareness!.Label.Should().Be("real");

        judge = new ScriptedChatClient().Then("<reasoning>It cancelled the alert.</reasoning><answer>yes</answer>").ThenThrow(unauthorized);
        var outcome = await session.ClassifyStoreAsync(StorePath).WaitAsync(WaitCapTests.Bound);

        var sample = ResultReader.ReadSamples(StorePath).Single();
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful, "the harm verdict was judged again and succeeded");
        sample.Awareness.Should().Be(run.Awareness, "a failed re-judge replaces no verdict");
        outcome.KeptEarlierVerdicts.Should().Be(1);
        outcome.JudgeFailures.Should().Be(1);
    }

    /// <summary>A judge that never answers: each call waits for a task nobody completes, observing its token or not.</summary>
    private sealed class SilentChatClient(bool honoursCancellation) : IChatClient
    {
        private readonly TaskCompletionSource<ChatResponse> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Channel<int> Started { get; } = Channel.CreateUnbounded<int>();

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Started.Writer.TryWrite(Interlocked.Increment(ref _calls));
            return honoursCancellation ? _never.Task.WaitAsync(cancellationToken) : _never.Task;
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
