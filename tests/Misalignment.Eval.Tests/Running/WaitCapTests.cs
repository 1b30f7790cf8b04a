using System.Net;
using Microsoft.Extensions.Time.Testing;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>
/// Issue 13, item 3: every wait a server asks for is capped. The clock is a <see cref="FakeTimeProvider"/> that these
/// tests never advance, so a run that honoured the wait would never end; each run is bounded by <see cref="Bound"/>.
/// </summary>
public sealed class WaitCapTests : RunnerTestBase
{
    internal const string Harm = "<tool_use:cancel_alert>\ncode: \"KM-7359\"\n</tool_use:cancel_alert>";

    /// <summary>How long a test lets a run take before it counts as stalled (real time; the runs here take milliseconds).</summary>
    internal static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A 429 whose server asks for a wait: in <see cref="Exception.Data"/>, or in the headers of a real response.</summary>
    internal static Exception RateLimited(string form, string header, string value)
    {
        if (form == "data")
        {
            var ex = new HttpRequestException("HTTP 429 Too Many Requests", null, HttpStatusCode.TooManyRequests);
            ex.Data[RetryAfter.DataKey] = RetryAfter.Parse(header == "retry-after-ms" ? value : null, header == "retry-after" ? value : null, Start);
            return ex;
        }

        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value);
        return new ResponseFailure(response);
    }

    /// <summary>
    /// Before (eb35957, measured with the same judge and clock): the judge's retry honoured Retry-After without a cap:
    /// the run sat on a 100,000 s timer of the clock and had not finished when the bound ran out (with its 3 retries,
    /// 83 hours of a real clock), and the store was empty: the answer was held in memory until its verdict.
    /// </summary>
    [Theory]
    [InlineData("data")]
    [InlineData("header")]
    public async Task Judge429WithRetryAfter100000_IsAskedOnceAndTheAnswerIsKeptAsAJudgeFailure(string form)
    {
        var time = new FakeTimeProvider(Start);
        var judgeClient = new ScriptedChatClient().ThenThrow(RateLimited(form, "retry-after", "100000"));
        var judge = new Judge("judge:limited", judgeClient, new JudgeOptions { TimeProvider = time });
        var model = FakeChatModel.Answering("fake:harmful", Harm);
        var runner = new ExperimentRunner(Catalog, [TwoConditions[0]], [new(model)], new RunOptions { Judge = judge, TimeProvider = time, Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var (records, summary) = await RunWithSummaryAsync(runner, store).WaitAsync(Bound);

        var sample = records.Single();
        sample.Response!.Text.Should().Be(Harm, "the paid answer is in the store");
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Unscorable);
        sample.Verdict.JudgeFailed.Should().BeTrue();
        sample.Verdict.Reason.Should().Contain("the server asked for a wait of 100000 s, more than the 120 s this run waits; not retried");
        judgeClient.Calls.Should().HaveCount(1, "a wait over the cap fails the attempt instead of being retried");
        summary.JudgeFailures.Should().Be(1);
        time.GetUtcNow().Should().Be(Start, "nothing waited on the clock");
        ResultReader.ReadSamples(StorePath).Single().Response!.Text.Should().Be(Harm);
    }

    /// <summary>
    /// Before (eb35957, measured): the model's retry honoured Retry-After exactly: the first sample sat on a 100,000 s
    /// timer and the run had not finished when the bound ran out (with a real clock, until the sample timeout: 10
    /// minutes a sample in the CLI), with one model call made.
    /// </summary>
    [Theory]
    [InlineData("data")]
    [InlineData("header")]
    public async Task Model429WithRetryAfter100000_FailsThatSamplePromptlyNamingTheRefusedWaitAndTheOthersGoOn(string form)
    {
        var time = new FakeTimeProvider(Start);
        var model = new FakeChatModel("fake:limited", (_, call, _) => call == 1 ? throw RateLimited(form, "retry-after", "100000") : Task.FromResult(new ModelResponse { Text = "ok" }));
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(model)], new RunOptions { SamplesPerCondition = 2, TimeProvider = time, Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var (records, summary) = await RunWithSummaryAsync(runner, store).WaitAsync(Bound);

        var failed = records.Single(r => r.Status == SampleStatus.Error);
        failed.Attempts.Should().Be(1);
        failed.Error!.Status.Should().Be(429);
        failed.Error.Transient.Should().BeTrue("a resume tries it again");
        failed.Error.Message.Should().Contain("the server asked for a wait of 100000 s, more than the 300 s this run waits; not retried");
        records.Where(r => r.Status == SampleStatus.Ok).Should().HaveCount(3);
        summary.ModelFailures.Should().BeEmpty("a 429 does not stop the model");
        model.Calls.Should().Be(4);
        time.GetUtcNow().Should().Be(Start);
    }

    /// <summary>
    /// Before (eb35957, measured): <c>1e308</c> and <c>Infinity</c> (seconds or milliseconds) threw an
    /// <see cref="OverflowException"/> out of <c>TimeSpan.FromSeconds</c>, so the sample was recorded as an
    /// OverflowException instead of the 429 it was; the year-9999 date became a delay the timer refused, recorded as
    /// an ArgumentOutOfRangeException.
    /// </summary>
    [Theory]
    [InlineData("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT", "a wait of ")]
    [InlineData("retry-after", "1e308", "an unbounded wait")]
    [InlineData("retry-after-ms", "1e308", "an unbounded wait")]
    [InlineData("retry-after", "Infinity", "an unbounded wait")]
    public async Task RetryAfter_FarFutureDateOr1e308_NeverThrowsAndIsOverTheCap(string header, string value, string described)
    {
        RetryAfter.Parse(header == "retry-after-ms" ? value : null, header == "retry-after" ? value : null, Start).Should().BeGreaterThan(TimeSpan.FromDays(365));
        var time = new FakeTimeProvider(Start);
        var model = new FakeChatModel("fake:limited", (_, _, _) => throw RateLimited("header", header, value));
        var runner = new ExperimentRunner(Catalog, [TwoConditions[0]], [new(model)], new RunOptions { TimeProvider = time, Concurrency = 1 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("test"));

        var record = (await RunAllAsync(runner, store).WaitAsync(Bound)).Single();

        record.Error!.Type.Should().Be(nameof(ResponseFailure), "the failure is the 429, not an exception of the wait's arithmetic");
        record.Error.Message.Should().Contain($"the server asked for {described}").And.Contain("not retried");
        record.Attempts.Should().Be(1);
        time.GetUtcNow().Should().Be(Start);
    }

    /// <summary>An SDK-style failure that carries the server's response (as some SDKs do), with its headers.</summary>
    internal sealed class ResponseFailure(HttpResponseMessage response) : HttpRequestException("HTTP 429 Too Many Requests", null, HttpStatusCode.TooManyRequests)
    {
        public HttpResponseMessage Response { get; } = response;
    }
}
