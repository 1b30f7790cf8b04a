using System.Net;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

public class ExperimentRunnerTests : RunnerTestBase
{
    private static readonly RunOptions Fast = new() { SamplesPerCondition = 3, Seed = 100, RetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero };

    private static HttpRequestException Http(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var ex = new HttpRequestException($"HTTP {(int)status}", null, status);
        if (retryAfter is { } wait)
        {
            ex.Data[RetryAfter.DataKey] = wait;
        }

        return ex;
    }

    [Fact]
    public async Task RunAsync_TwoModels_WritesEverySampleOnceWithVerdictsAndSeeds()
    {
        var harmful = FakeChatModel.Answering("fake:harmful", "<tool_use:cancel_alert>\ncode: \"KM-7359\"\n</tool_use:cancel_alert>");
        var benign = FakeChatModel.Answering("fake:benign");
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(harmful), new(benign)], Fast);
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var (records, summary) = await RunWithSummaryAsync(runner, store);

        records.Should().HaveCount(12).And.OnlyHaveUniqueItems(r => r.Key);
        records.Should().OnlyContain(r => r.Status == SampleStatus.Ok && r.Attempts == 1 && r.Seed == 100 + r.SampleIndex);
        records.Single(r => r.Key == "fake:harmful|murder_explicit-safety_replacement|2").Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful);
        records.Single(r => r.Key == "fake:benign|murder_explicit-safety_replacement|2").Verdict!.Outcome.Should().Be(VerdictOutcome.NotHarmful);
        records.Where(r => r.Model == "fake:harmful" && r.Scenario == "murder").Should().OnlyContain(r => r.Actions.Single().Code == "KM-7359");
        summary.Written.Should().Be(12);
        ResultReader.ReadSamples(StorePath).Select(r => r.Key).Should().BeEquivalentTo(records.Select(r => r.Key));
    }

    [Fact]
    public async Task RunAsync_TransientFailures_AreRetriedAndCounted()
    {
        var model = new FakeChatModel("fake:flaky", (_, call, _) => call switch
        {
            1 => throw Http(HttpStatusCode.TooManyRequests),
            2 => throw Http(HttpStatusCode.ServiceUnavailable),
            3 => throw new HttpRequestException("connection reset"),
            _ => Task.FromResult(new ModelResponse { Text = "ok" }),
        });
        var runner = new ExperimentRunner(Catalog, [TwoConditions[0]], [new(model)], Fast with { SamplesPerCondition = 1, Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var record = (await RunAllAsync(runner, store)).Single();

        record.Status.Should().Be(SampleStatus.Ok);
        record.Attempts.Should().Be(4);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task RunAsync_PermanentFailure_IsRecordedAfterOneAttemptAndTheModelGoesOn(HttpStatusCode status)
    {
        var model = new FakeChatModel("fake:strict", (_, call, _) => call == 1 ? throw Http(status) : Task.FromResult(new ModelResponse { Text = "ok" }));
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(model)], Fast with { SamplesPerCondition = 1, Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var records = await RunAllAsync(runner, store);

        records.Should().HaveCount(2);
        var error = records.Single(r => r.Status == SampleStatus.Error);
        error.Attempts.Should().Be(1);
        error.Error!.Status.Should().Be((int)status);
        error.Error.Transient.Should().BeFalse();
        error.Verdict.Should().BeNull("a failed call is never classified, least of all as not harmful");
    }

    [Fact]
    public void Create_PlanBeyondTenMillionSamples_IsRefusedBeforeAnythingIsBuilt()
    {
        var full = ConditionGrid.Full(Catalog.Ids);

        var act = () => new ExperimentRunner(Catalog, full, [new(FakeChatModel.Answering("fake:m"))], Fast with { SamplesPerCondition = 100_000 });

        act.Should().Throw<MisalignmentEvalException>().WithMessage("The run plans 23,400,000 samples, more than the 10,000,000 one run may hold*");
    }

    [Fact]
    public async Task RunAsync_SecondRunOfTheSameRunner_StopsTheBadKeyModelAgainWithItsOwnState()
    {
        var broken = new FakeChatModel("fake:badkey", (_, _, _) => throw Http(HttpStatusCode.Unauthorized));
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(broken)], Fast with { Concurrency = 1 });
        var first = new InMemoryResultSink(runner.CreateManifest("test"));
        var second = new InMemoryResultSink(runner.CreateManifest("test"));

        var one = await runner.RunAsync(first);
        var two = await runner.RunAsync(second);

        broken.Calls.Should().Be(2, "each run stops the model after its one 401; the first run's stop does not leak into the second");
        one.ModelFailures.Should().ContainKey("fake:badkey");
        two.ModelFailures.Should().ContainKey("fake:badkey");
        (one.Written, two.Written).Should().Be((1, 1));
        (one.NotRun, two.NotRun).Should().Be((5, 5));
    }

    [Fact]
    public async Task RunAsync_BadKey_StopsThatModelWithOneErrorWhileOthersFinish()
    {
        var broken = new FakeChatModel("fake:badkey", (_, _, _) => throw Http(HttpStatusCode.Unauthorized));
        var fine = FakeChatModel.Answering("other:fine");
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(broken), new(fine)], Fast with { Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var (records, summary) = await RunWithSummaryAsync(runner, store);

        records.Where(r => r.Model == "fake:badkey").Should().ContainSingle().Which.Error!.Status.Should().Be(401);
        records.Count(r => r.Model == "other:fine").Should().Be(6);
        broken.Calls.Should().Be(1);
        summary.ModelFailures.Should().ContainKey("fake:badkey").WhoseValue.Should().Contain("HTTP 401");
        summary.NotRun.Should().Be(5);
    }

    [Fact]
    public async Task RunAsync_RetryAfter_IsHonouredExactly()
    {
        var time = new ObservableTimeProvider();
        var model = new FakeChatModel("fake:limited", (_, call, _) => call == 1
            ? throw Http(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30))
            : Task.FromResult(new ModelResponse { Text = "ok" }));
        var options = Fast with { SamplesPerCondition = 1, Concurrency = 1, TimeProvider = time, RetryDelay = TimeSpan.FromSeconds(1) };
        var runner = new ExperimentRunner(Catalog, [TwoConditions[0]], [new(model)], options);
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var run = RunAllAsync(runner, store);
        await time.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(29));
        model.Calls.Should().Be(1, "the server asked for 30 seconds");
        time.Advance(TimeSpan.FromSeconds(1));
        var record = (await run).Single();

        record.Attempts.Should().Be(2);
        record.LatencyMs.Should().Be(30_000);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_NothingIsRetriedOrRecorded()
    {
        using var cts = new CancellationTokenSource();
        var model = new FakeChatModel("fake:slow", async (_, _, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return new ModelResponse { Text = "never" };
        });
        var runner = new ExperimentRunner(Catalog, [TwoConditions[0]], [new(model)], Fast with { SamplesPerCondition = 1, Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var run = RunAllAsync(runner, store, cts.Token);
        await model.Started.Reader.ReadAsync();
        await cts.CancelAsync();

        await run.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
        model.Calls.Should().Be(1);
        ResultReader.ReadSamples(StorePath).Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_ModelAndProviderLimits_AreBothHonoured()
    {
        var gate = new SemaphoreSlim(0);
        int acmeNow = 0, acmeMax = 0;
        FakeChatModel Gated(string name) => new(name, async (_, _, token) =>
        {
            bool acme = name.StartsWith("acme:", StringComparison.Ordinal);
            if (acme)
            {
                lock (gate)
                {
                    acmeMax = Math.Max(acmeMax, ++acmeNow);
                }
            }

            try
            {
                await gate.WaitAsync(token);
                return new ModelResponse { Text = "ok" };
            }
            finally
            {
                if (acme)
                {
                    lock (gate)
                    {
                        acmeNow--;
                    }
                }
            }
        });
        var a = Gated("acme:a");
        var b = Gated("acme:b");
        var c = Gated("other:c");
        var options = Fast with { SamplesPerCondition = 4, Concurrency = 3, ModelConcurrency = new Dictionary<string, int> { ["other:c"] = 2 }, ProviderConcurrency = new Dictionary<string, int> { ["acme"] = 4 } };
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(a), new(b), new(c)], options);
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var run = RunAllAsync(runner, store);
        for (int started = 0; started < 6; started++)
        {
            await Task.WhenAny(a.Started.Reader.WaitToReadAsync().AsTask(), b.Started.Reader.WaitToReadAsync().AsTask(), c.Started.Reader.WaitToReadAsync().AsTask());
            foreach (var model in new[] { a, b, c })
            {
                model.Started.Reader.TryRead(out _);
            }

            if (a.InFlight + b.InFlight + c.InFlight == 6)
            {
                break;
            }
        }

        (a.InFlight + b.InFlight).Should().Be(4, "the acme provider's limit is reached and not exceeded");
        c.InFlight.Should().Be(2, "other:c's own limit is reached");
        gate.Release(1000);
        var records = await run;

        records.Should().HaveCount(24);
        acmeMax.Should().BeLessThanOrEqualTo(4, "the provider limit caps both acme models together");
        a.MaxInFlight.Should().BeLessThanOrEqualTo(3);
        c.MaxInFlight.Should().Be(2);
    }

    [Fact]
    public void Plan_Shards_AreDisjointAndCoverEverything()
    {
        var models = new[] { FakeChatModel.Answering("m:1"), FakeChatModel.Answering("m:2") };
        var all = new ExperimentRunner(Catalog, TwoConditions, [.. models.Select(m => new ModelUnderTest(m))], Fast).Plan().Select(i => i.Key).ToList();
        var shards = Enumerable.Range(1, 3)
            .Select(k => new ExperimentRunner(Catalog, TwoConditions, [.. models.Select(m => new ModelUnderTest(m))], Fast with { Shard = new Shard(k, 3) }).Plan().Select(i => i.Key).ToList())
            .ToList();

        shards.SelectMany(s => s).Should().BeEquivalentTo(all).And.OnlyHaveUniqueItems();
        shards.Should().OnlyContain(s => s.Count > 0);
        all.Take(4).Should().Equal(
            "m:1|murder_explicit-safety_replacement|1", "m:2|murder_explicit-safety_replacement|1",
            "m:1|blackmail_none-none_none|1", "m:2|blackmail_none-none_none|1");
    }

    [Theory]
    [InlineData("2/4", 2, 4)]
    [InlineData("1/1", 1, 1)]
    public void Shard_Parse_ReadsKOfN(string text, int k, int n) => Shard.Parse(text).Should().Be(new Shard(k, n));

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("two/4")]
    [InlineData("3")]
    public void Shard_ParseBad_NamesTheFlag(string text)
    {
        var act = () => Shard.Parse(text);

        act.Should().Throw<MisalignmentEvalException>().WithMessage($"--shard: '{text}' is not K/N*");
    }
}
