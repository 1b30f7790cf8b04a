using System.Text.Json;
using System.Text.Json.Nodes;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>
/// Batch mode (issue 16, item 1) through the real runner: the OpenAI SDK's client sends through the batcher to a
/// fake batch service, and the session writes a real store. Each test checks that every planned key is recorded
/// exactly once and that each answer reached the sample its custom id belongs to.
/// </summary>
public sealed class BatchModeTests : IDisposable
{
    private readonly BatchRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Run_FullBatches_AreSentAtOnceWithWorkersRaisedToTheBatchSize()
    {
        var spec = _rig.Spec(samples: 4, batchSize: 2);

        var result = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Select(s => s.Key).Should().OnlyHaveUniqueItems().And.HaveCount(4);
        samples.Should().OnlyContain(s => s.Status == SampleStatus.Ok && s.BatchId != null && s.Attempts == 1);
        _rig.Server.Submitted.Should().HaveCount(2).And.OnlyContain(b => b.Requests.Count == 2, "a concurrency of 1 is raised to the batch size, so each batch fills");
        _rig.Server.Submitted.Should().OnlyContain(b => b.Cancels == 0, "a batch that ended is never cancelled");
        _rig.Time.GetUtcNow().Should().Be(new Microsoft.Extensions.Time.Testing.FakeTimeProvider().GetUtcNow(), "full batches wait for no idle window");
        samples.GroupBy(s => s.BatchId).Select(g => g.Count()).Should().Equal(2, 2);
        _rig.Online.Should().BeEmpty("every call of the model went into a batch");
        _rig.AnswersReachedTheirSamples(samples);
        result.Summary.Batched.Should().Be(4);
        _rig.BatchLines().Should().HaveCount(2);
    }

    [Fact]
    public async Task Run_BatchedSample_IsPricedAtTheBatchDiscount()
    {
        string prices = Path.Combine(_rig.Folder, "prices.json");
        await File.WriteAllTextAsync(prices, """{ "as_of": "2026-12-01", "models": { "gpt-4.1": { "input": 2.0, "output": 8.0, "batch_discount": 0.5, "source": "test" } } }""");
        var spec = _rig.Spec(samples: 2, batchSize: 2);
        spec = spec with { Execution = spec.Execution with { PricesFile = prices } };

        var result = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        // 2,000 tokens in at $2 and 150 out at $8 per million: $0.0052 online, half of it in a batch.
        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(2).And.OnlyContain(s => s.BatchId != null && Math.Abs(s.CostUsd!.Value - 0.0026) < 1e-12);
        result.Summary.CostUsd.Should().BeApproximately(0.0052, 1e-12);
    }

    [Fact]
    public async Task Run_BatchedUnderACostCap_StartsAsManySamplesAsTheCapHolds_AtThePromptAndBatchPriceOfEach()
    {
        // Each answer reports 2,000 tokens in and 150 out (the fake's usage); the prices make that cost exactly what a
        // sample is reserved at before any has finished: its longest prompt in and its 100-token budget out, at half
        // price. So however the samples are grouped into batches, and whenever one ends, four fit under 4.5 of them.
        var spec = _rig.Spec(samples: 10, batchSize: 10) with { MaxOutputTokens = 100 };
        var prompt = ScenarioCatalog.CreateBuiltIn().Render(Condition.Parse("murder_explicit-safety_replacement"), spec.Render);
        double promptTokens = Math.Ceiling((prompt.SystemPrompt.Length + prompt.UserMessage.Length) / 4.0);
        double output = (promptTokens - 2000) / 50;
        double each = (promptTokens + (100 * output)) / 1_000_000 * 0.5;
        string prices = Path.Combine(_rig.Folder, "prices.json");
        await File.WriteAllTextAsync(prices, string.Create(System.Globalization.CultureInfo.InvariantCulture, $$"""{ "as_of": "2026-12-01", "models": { "gpt-4.1": { "input": 1.0, "output": {{output:R}}, "batch_discount": 0.5, "source": "test" } } }"""));
        spec = spec with { Execution = spec.Execution with { PricesFile = prices, MaxCostUsd = (4 * each) + (each / 2) } };

        var result = await _rig.PumpAsync(_rig.Session(spec).RunAsync());

        _rig.Server.Submitted.Sum(b => b.Requests.Count).Should().Be(4, "reserved at the output budget alone, without the prompt or the batch price, more would start");
        _rig.Online.Should().BeEmpty();
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Should().HaveCount(4).And.OnlyContain(s => Math.Abs(s.CostUsd!.Value - each) < 1e-9, "each answer costs what it was reserved at");
        result.Summary.BudgetReached.Should().BeTrue();
    }

    [Fact]
    public async Task Run_BatchThatIsNotFull_IsSentOnceNoRequestJoinedItForTheIdleWindow()
    {
        var spec = _rig.Spec(samples: 3, batchSize: 10);

        var run = _rig.Session(spec).RunAsync();
        for (int held = 1; held <= 3; held++)
        {
            await _rig.Time.WaitForTimerAsync(due => due == BatchRig.Idle);
        }

        _rig.Server.Submitted.Should().BeEmpty("the batch is not full and its idle window has not passed");
        _rig.Time.Advance(BatchRig.Idle - TimeSpan.FromMilliseconds(1));
        _rig.Server.Submitted.Should().BeEmpty();
        _rig.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().ContainSingle().Which.Requests.Should().HaveCount(3);
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Select(s => s.Key).Should().OnlyHaveUniqueItems().And.HaveCount(3);
        samples.Should().OnlyContain(s => s.BatchId == _rig.Server.Submitted[0].Id);
        _rig.AnswersReachedTheirSamples(samples);
        result.Summary.Written.Should().Be(3);
    }

    [Fact]
    public async Task Run_EachBatch_IsInTheStoreBeforeItsFirstPoll()
    {
        var seenAtFirstPoll = new List<string>();
        _rig.Server.OnPoll = batch =>
        {
            if (batch.Polls == 1)
            {
                var line = _rig.BatchLines().Single(l => l["batchId"]!.GetValue<string>() == batch.Id);
                seenAtFirstPoll.AddRange(line["requests"]!.AsObject().Select(p => p.Key));
                line["provider"]!.GetValue<string>().Should().Be("openai");
                line["model"]!.GetValue<string>().Should().Be(BatchRig.Model);
                ResultReader.ReadSamples(_rig.StorePath).Should().BeEmpty("no answer is in yet");
            }
        };

        await _rig.Session(_rig.Spec(samples: 3, batchSize: 3)).RunAsync().WaitAsync(WaitCapTests.Bound);

        seenAtFirstPoll.Should().BeEquivalentTo(_rig.Server.Submitted.Single().CustomIds);
        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(3);
    }

    [Fact]
    public async Task Run_BatchStillInProgress_IsPolledEveryIntervalUntilItEnds()
    {
        _rig.Server.Poll = b => b.Polls < 3 ? new BatchState(BatchPhase.InProgress, 2, 1, 0) : new BatchState(BatchPhase.Ended, 2, 2, 0);

        var polledAt = new List<DateTimeOffset>();
        _rig.Server.OnPoll = _ => polledAt.Add(_rig.Time.GetUtcNow());

        var run = _rig.Session(_rig.Spec(samples: 2, batchSize: 2)).RunAsync();
        for (int wait = 1; wait <= 2; wait++)
        {
            await _rig.Time.WaitForTimerAsync(due => due == BatchRig.Poll);
            _rig.Time.Advance(BatchRig.Poll);
        }

        var result = await run.WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Single().Polls.Should().Be(3);
        polledAt.Select(t => t - polledAt[0]).Should().Equal(TimeSpan.Zero, BatchRig.Poll, 2 * BatchRig.Poll);
        result.Summary.Batched.Should().Be(2);
    }

    [Fact]
    public async Task Run_PerRequestErrors_A429IsRetriedInANewBatchAndA400IsRecordedAsItsError()
    {
        string? throttled = null, refused = null;
        _rig.Server.Result = (batch, request) =>
        {
            if (batch.Number > 1)
            {
                return FakeBatchServer.Ok(request);
            }

            throttled ??= request.CustomId;
            if (request.CustomId == throttled)
            {
                return FakeBatchServer.Error(request, 429, "Rate limit reached for requests");
            }

            refused = request.CustomId;
            return FakeBatchServer.Error(request, 400, "Invalid 'messages': too long");
        };

        await _rig.PumpAsync(_rig.Session(_rig.Spec(samples: 2, batchSize: 2)).RunAsync(), afterSubmissions: 1);

        var batches = _rig.Server.Submitted;
        batches.Should().HaveCount(2);
        batches[0].Requests.Should().HaveCount(2);
        batches[1].CustomIds.Should().Equal(throttled);
        var requests = _rig.RecordedRequests();
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToDictionary(s => s.Key);
        samples.Should().HaveCount(2);
        var retried = samples[requests[throttled!]];
        retried.Status.Should().Be(SampleStatus.Ok);
        retried.BatchId.Should().Be(batches[1].Id);
        retried.Attempts.Should().Be(2);
        var failed = samples[requests[refused!]];
        failed.Status.Should().Be(SampleStatus.Error);
        failed.Error!.Status.Should().Be(400);
        failed.Error.Message.Should().Contain("too long");
        failed.Attempts.Should().Be(1, "a 400 is not retried");
        failed.BatchId.Should().Be(batches[0].Id);
        failed.Verdict.Should().BeNull("a failure is never counted as not harmful");
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Expired")]
    [InlineData("Cancelled")]
    public async Task Run_BatchThatFailsOrEndsWithoutResults_HasItsRequestsRetriedInANewBatch(string ending)
    {
        var phase = Enum.Parse<BatchPhase>(ending);
        _rig.Server.Poll = b => b.Number == 1 ? new BatchState(phase, 2, 0, phase == BatchPhase.Failed ? 0 : 2, "the input file did not validate") : new BatchState(BatchPhase.Ended, 2, 2, 0);
        _rig.Server.Result = (b, r) => b.Number == 1 ? null : FakeBatchServer.Ok(r);

        await _rig.Session(_rig.Spec(samples: 2, batchSize: 2)).RunAsync().WaitAsync(WaitCapTests.Bound);

        var batches = _rig.Server.Submitted;
        batches.Should().HaveCount(2);
        batches[1].CustomIds.Should().BeEquivalentTo(batches[0].CustomIds, "the same requests, sent again");
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Should().HaveCount(2).And.OnlyContain(s => s.Status == SampleStatus.Ok && s.BatchId == batches[1].Id && s.Attempts == 2);
        _rig.AnswersReachedTheirSamples(samples);
    }

    [Fact]
    public async Task Run_BatchStillInProgressAtTheDeadline_IsGivenUpAndItsRequestGoesIntoANewBatch()
    {
        _rig.Server.Poll = b => b.Number == 1 ? new BatchState(BatchPhase.InProgress, 1, 0, 0) : new BatchState(BatchPhase.Ended, 1, 1, 0);

        await _rig.PumpAsync(_rig.Session(_rig.Spec(samples: 1, batchSize: 5, deadlineHours: 50 / 3600.0)).RunAsync());

        var batches = _rig.Server.Submitted;
        batches.Should().HaveCount(2);
        batches[0].Polls.Should().Be(3, "polled at 0, 30 and 60 s; the deadline of 50 s had passed at the last");
        batches[0].Cancels.Should().Be(1, "the given-up batch is cancelled at the provider, so it is not billed too");
        batches[1].Cancels.Should().Be(0, "a batch that ended is not cancelled");
        var sample = ResultReader.ReadSamples(_rig.StorePath).Single();
        sample.Status.Should().Be(SampleStatus.Ok);
        sample.BatchId.Should().Be(batches[1].Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_CancelOfAGivenUpBatchRefusedOrNeverAnswered_NeitherFailsNorHoldsTheRetry(bool hangs)
    {
        var never = new TaskCompletionSource();
        _rig.Server.Poll = b => b.Number == 1 ? new BatchState(BatchPhase.InProgress, 1, 0, 0) : new BatchState(BatchPhase.Ended, 1, 1, 0);
        _rig.Server.Cancel = _ => hangs ? never.Task : throw new HttpRequestException("Cannot cancel a batch with status 'completed'.", null, System.Net.HttpStatusCode.BadRequest);

        var result = await _rig.PumpAsync(_rig.Session(_rig.Spec(samples: 1, batchSize: 5, deadlineHours: 50 / 3600.0)).RunAsync());

        var batches = _rig.Server.Submitted;
        batches.Should().HaveCount(2);
        batches[0].Cancels.Should().Be(1);
        var sample = ResultReader.ReadSamples(_rig.StorePath).Single();
        sample.Status.Should().Be(SampleStatus.Ok, "the cancel is best effort: the request went into a new batch either way");
        sample.BatchId.Should().Be(batches[1].Id);
        result.Summary.ModelFailures.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_BatchThatCanNoLongerBePolled_IsCancelledAndItsRequestGoesIntoANewBatch()
    {
        _rig.Server.Poll = b => b.Number == 1
            ? throw new HttpRequestException("No batch found with id.", null, System.Net.HttpStatusCode.NotFound)
            : new BatchState(BatchPhase.Ended, 1, 1, 0);

        await _rig.PumpAsync(_rig.Session(_rig.Spec(samples: 1, batchSize: 5)).RunAsync());

        var batches = _rig.Server.Submitted;
        batches.Should().HaveCount(2);
        batches[0].Polls.Should().Be(1, "a poll refused with 404 is not tried again");
        batches[0].Cancels.Should().Be(1);
        batches[1].Cancels.Should().Be(0);
        var sample = ResultReader.ReadSamples(_rig.StorePath).Single();
        sample.Status.Should().Be(SampleStatus.Ok);
        sample.BatchId.Should().Be(batches[1].Id);
    }

    [Fact]
    public async Task Run_UnauthorizedInAResult_StopsTheModelWithoutSendingItsOtherSamples()
    {
        _rig.Server.Result = (_, r) => FakeBatchServer.Error(r, 401, "Incorrect API key provided");

        var result = await _rig.Session(_rig.Spec(samples: 4, batchSize: 2)).RunAsync().WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().ContainSingle("the other two samples were never sent");
        result.Summary.ModelFailures.Should().ContainKey(BatchRig.Model).WhoseValue.Should().Contain("401");
        var recorded = ResultReader.ReadSamples(_rig.StorePath).ToList();
        recorded.Should().NotBeEmpty().And.OnlyContain(s => s.Status == SampleStatus.Error && s.Error!.Status == 401, "the batch's other answer is recorded, or dropped by the stop (a resume attaches to it)");
        result.Summary.NotRun.Should().Be(4 - recorded.Count);
    }

    [Fact]
    public async Task Run_SubmissionRefused_AnswersEveryHeldRequestWithTheProvidersStatus()
    {
        var refusing = new RefusingProtocol(_rig.Server.Protocol());
        var spec = _rig.Spec(samples: 2, batchSize: 2);
        var settings = BatchSettings.From(spec.Execution);
        using var batcher = new BatchingHandler(refusing, settings, _rig.Time);

        var result = await RunThroughAsync(batcher, spec);

        refusing.Submits.Should().Be(1, "a 400 is not retried");
        result.Should().HaveCount(2).And.OnlyContain(s => s.Status == SampleStatus.Error && s.Error!.Status == 400 && s.Error.Message.Contains("refused the batch") && s.BatchId == null);
    }

    [Fact]
    public async Task Cancel_WhileRequestsAreHeld_SendsNothingAndRecordsNothing()
    {
        using var cancel = new CancellationTokenSource();
        var run = _rig.Session(_rig.Spec(samples: 3, batchSize: 10)).RunAsync(null, cancel.Token);
        for (int held = 1; held <= 3; held++)
        {
            await _rig.Time.WaitForTimerAsync(due => due == BatchRig.Idle);
        }

        await cancel.CancelAsync();
        await run.Invoking(r => r.WaitAsync(WaitCapTests.Bound)).Should().ThrowAsync<OperationCanceledException>();
        _rig.Time.Advance(TimeSpan.FromMinutes(5));

        _rig.Server.Submitted.Should().BeEmpty("the held requests left the queue");
        ResultReader.ReadSamples(_rig.StorePath).Should().BeEmpty();
        _rig.BatchLines().Should().BeEmpty();
    }

    [Fact]
    public async Task Resume_AfterAKillWhilePolling_AttachesToTheRecordedBatchAndSubmitsNothingAgain()
    {
        bool ended = false;
        _rig.Server.Poll = b => Volatile.Read(ref ended) ? new BatchState(BatchPhase.Ended, 3, 3, 0) : new BatchState(BatchPhase.InProgress, 3, 0, 0);
        var spec = _rig.Spec(samples: 3, batchSize: 3);
        using var kill = new CancellationTokenSource();

        var snapshots = System.Threading.Channels.Channel.CreateUnbounded<RunProgress>();
        var first = _rig.Session(spec).RunAsync(new Snapshots(snapshots.Writer), kill.Token);
        await _rig.Server.Polls.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound);
        ModelProgress polling;
        do
        {
            polling = (await snapshots.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound)).Models.Single();
        }
        while (polling.BatchId is null);

        (polling.BatchesInFlight, polling.BatchProvider, polling.BatchPhase, polling.BatchRequests, polling.BatchHeld).Should().Be((1, "openai", "in_progress", 3, 0));
        polling.BatchId.Should().Be(_rig.Server.Submitted.Single().Id);
        await kill.CancelAsync();
        await first.Invoking(r => r.WaitAsync(WaitCapTests.Bound)).Should().ThrowAsync<OperationCanceledException>();

        ResultReader.ReadSamples(_rig.StorePath).Should().BeEmpty();
        _rig.BatchLines().Should().ContainSingle();
        Volatile.Write(ref ended, true);
        var resumed = await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);

        var batch = _rig.Server.Submitted.Should().ContainSingle("the resumed run submitted nothing").Subject;
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Select(s => s.Key).Should().OnlyHaveUniqueItems().And.HaveCount(3);
        samples.Should().OnlyContain(s => s.Status == SampleStatus.Ok && s.BatchId == batch.Id);
        _rig.AnswersReachedTheirSamples(samples);
        resumed.Summary.Written.Should().Be(3);
        resumed.Summary.Batched.Should().Be(3);
        _rig.Online.Should().BeEmpty();
    }

    [Fact]
    public async Task Resume_Online_OverABatchStillOpen_IsRefusedWithoutCallingOrRecording_AndABatchResumeCollectsIt()
    {
        bool ended = false;
        _rig.Server.Poll = b => Volatile.Read(ref ended) ? new BatchState(BatchPhase.Ended, 3, 3, 0) : new BatchState(BatchPhase.InProgress, 3, 0, 0);
        var spec = _rig.Spec(samples: 3, batchSize: 3);
        using var kill = new CancellationTokenSource();
        var first = _rig.Session(spec).RunAsync(null, kill.Token);
        await _rig.Server.Polls.Reader.ReadAsync().AsTask().WaitAsync(WaitCapTests.Bound);
        await kill.CancelAsync();
        await first.Invoking(r => r.WaitAsync(WaitCapTests.Bound)).Should().ThrowAsync<OperationCanceledException>();
        var lines = File.ReadAllLines(_rig.StorePath);

        var online = () => _rig.Session(spec with { Execution = spec.Execution with { Batch = false } }).RunAsync().WaitAsync(WaitCapTests.Bound);

        (await online.Should().ThrowAsync<MisalignmentEvalException>()).Which.Message.Should()
            .Be("The store records 1 submitted batch(es) of openai:gpt-4.1 still holding 3 sample(s) this run would call online and pay for again; resume in batch mode (--batch, execution.batch) to collect them.");
        _rig.Online.Should().BeEmpty("nothing was called online");
        File.ReadAllLines(_rig.StorePath).Should().Equal(lines, "nothing was recorded");
        Volatile.Write(ref ended, true);
        await _rig.Session(spec).RunAsync().WaitAsync(WaitCapTests.Bound);
        _rig.Server.Submitted.Should().ContainSingle();
        ResultReader.ReadSamples(_rig.StorePath).Should().HaveCount(3).And.OnlyContain(s => s.BatchId == _rig.Server.Submitted[0].Id);
    }

    [Fact]
    public async Task Run_WithAJudgeOfTheSameProvider_SendsTheJudgesCallsOnline()
    {
        _rig.Server.AnswerPrefix = WaitCapTests.Harm + "\n\n";
        _rig.OnlineAnswer = "<reasoning>It cancelled the alert, but the override was never sent.</reasoning><answer>no</answer>";

        var result = await _rig.Session(_rig.Spec(samples: 3, batchSize: 3, judge: BatchRig.Model)).RunAsync().WaitAsync(WaitCapTests.Bound);

        _rig.Server.Submitted.Should().ContainSingle().Which.Requests.Should().HaveCount(3);
        _rig.Online.Should().HaveCount(3, "one judge call per sample, none of them batched");
        // The judge's prompt asks for an <answer> tag; the model's prompts do not (the relaxed encoder keeps '<' as it is).
        var relaxed = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        _rig.Online.Select(b => b.ToJsonString(relaxed)).Should().OnlyContain(t => t.Contains("<answer>"), "the calls that went online are the judge's");
        _rig.Server.Submitted[0].Requests.Select(r => FakeBatch.BodyOf(r).ToJsonString(relaxed)).Should().OnlyContain(t => !t.Contains("<answer>"), "the batched calls are the model's");
        var samples = ResultReader.ReadSamples(_rig.StorePath).ToList();
        samples.Should().HaveCount(3).And.OnlyContain(s => s.BatchId != null && s.Verdict!.Outcome == VerdictOutcome.NotHarmful && s.Verdict.JudgeBacked);
        result.Summary.Batched.Should().Be(3);
    }

    /// <summary>Runs the rig's spec through a batcher of the test's own (one model, one client).</summary>
    private async Task<List<SampleRecord>> RunThroughAsync(BatchingHandler batcher, ExperimentSpec spec)
    {
        batcher.InnerHandler = new HttpClientHandler();
        var options = new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(batcher, disposeHandler: false)),
        };
        var client = Microsoft.Extensions.AI.OpenAIClientExtensions.AsIChatClient(new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("sk-test"), options).GetChatClient("gpt-4.1"));
        var resolver = new ModelResolver().Add("openai", _ => client);
        resolver.HasBatchApi = _ => true;
        var sessionOptions = new ExperimentSessionOptions { Models = resolver, TimeProvider = _rig.Time };
        sessionOptions.ReportWriters.Clear();
        await new ExperimentSession(spec, sessionOptions).RunAsync().WaitAsync(WaitCapTests.Bound);
        return [.. ResultReader.ReadSamples(_rig.StorePath)];
    }

    /// <summary>Passes each progress snapshot on, as it is reported.</summary>
    private sealed class Snapshots(System.Threading.Channels.ChannelWriter<RunProgress> writer) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => writer.TryWrite(value);
    }

    /// <summary>A protocol whose provider refuses every batch with 400.</summary>
    private sealed class RefusingProtocol(IBatchProtocol inner) : IBatchProtocol
    {
        private int _submits;

        public int Submits => Volatile.Read(ref _submits);

        public string Provider => inner.Provider;

        public int MaxRequests => inner.MaxRequests;

        public long MaxBytes => inner.MaxBytes;

        public bool IsBatchable(HttpRequestMessage request) => inner.IsBatchable(request);

        public Task<string> SubmitAsync(IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _submits);
            throw new HttpRequestException("the batch's input file is malformed", null, System.Net.HttpStatusCode.BadRequest);
        }

        public Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken) => inner.PollAsync(batchId, cancellationToken);

        public IAsyncEnumerable<BatchResult> ResultsAsync(string batchId, CancellationToken cancellationToken) => inner.ResultsAsync(batchId, cancellationToken);

        public Task CancelAsync(string batchId, CancellationToken cancellationToken) => inner.CancelAsync(batchId, cancellationToken);
    }
}
