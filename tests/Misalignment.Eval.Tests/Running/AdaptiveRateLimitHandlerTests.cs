using System.Net;
using System.Text;
using System.Threading.Channels;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>
/// The adaptive rate limiter on a fake clock, against an upstream the test answers call by call: waits until the announced
/// reset, counts calls in flight, spends tokens, caps a wrong reset, cancels cleanly, and passes through without headers.
/// </summary>
public sealed class AdaptiveRateLimitHandlerTests : IDisposable
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);
    private readonly ObservableTimeProvider _time = new();
    private readonly Upstream _upstream = new();
    private readonly AdaptiveRateLimitHandler _handler;
    private readonly HttpMessageInvoker _client;

    public AdaptiveRateLimitHandlerTests()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Limits = new AnnouncedRateLimits(_time);
        _handler = new AdaptiveRateLimitHandler(Limits, Cap, _time) { InnerHandler = _upstream };
        _client = new HttpMessageInvoker(_handler);
    }

    private AnnouncedRateLimits Limits { get; }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task RemainingZero_TheNextCallWaitsUntilTheAnnouncedReset()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "2"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "2s"));

        var second = Send();
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromMilliseconds(1_999));
        _upstream.Pending.Should().Be(0, "the budget is spent until the reset");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await AnswerAsync();
        (await second).StatusCode.Should().Be(HttpStatusCode.OK);
        _handler.RateLimitWaits.Should().Be(1);
    }

    [Fact]
    public async Task Anthropic_RemainingZero_WaitsUntilTheRfc3339Reset()
    {
        await AnswerFirstAsync(("anthropic-ratelimit-requests-limit", "50"), ("anthropic-ratelimit-requests-remaining", "0"), ("anthropic-ratelimit-requests-reset", "2026-12-01T12:00:07Z"));

        var second = Send(path: "/v1/messages");
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(7));
        _upstream.Pending.Should().Be(0);
        _time.Advance(TimeSpan.FromSeconds(7));

        await AnswerAsync();
        await second;
        Limits.Remaining(RateBudgetKind.Requests).Should().Be(49, "restored to the limit, less this call");
    }

    [Fact]
    public async Task FirstCall_GoesAloneUntilItsHeadersAreKnown()
    {
        var first = Send();
        var second = Send();
        await _time.WaitForTimerAsync(d => d == Cap);
        _upstream.Pending.Should().Be(1, "nothing is known of the limits before the first response");

        await AnswerAsync(("x-ratelimit-limit-requests", "100"), ("x-ratelimit-remaining-requests", "99"), ("x-ratelimit-reset-requests", "600ms"));
        await first;
        await AnswerAsync();
        await second;
    }

    [Fact]
    public async Task CallsInFlight_CountAgainstARemainingThatWasComputedBeforeThem()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "10"), ("x-ratelimit-remaining-requests", "9"), ("x-ratelimit-reset-requests", "30s"));
        var a = Send();
        var callA = await _upstream.NextAsync();
        var b = Send();
        var callB = await _upstream.NextAsync();

        // The server took A first and says 1 remains; B was sent after A and is not counted in it.
        callA.Reply.SetResult(Response(("x-ratelimit-limit-requests", "10"), ("x-ratelimit-remaining-requests", "1"), ("x-ratelimit-reset-requests", "30s")));
        await a;
        Limits.Remaining(RateBudgetKind.Requests).Should().Be(0);
        var c = Send();
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(30));
        _upstream.Pending.Should().Be(0, "B already spent the one that A's response announced");

        callB.Reply.SetResult(Response());
        await b;
        _time.Advance(TimeSpan.FromSeconds(30));
        await AnswerAsync();
        await c;
    }

    [Fact]
    public async Task AtTheReset_CallsStillInFlightAreCountedInTheNewWindow()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "2"), ("x-ratelimit-remaining-requests", "1"), ("x-ratelimit-reset-requests", "1s"));
        var x = Send();
        var callX = await _upstream.NextAsync();
        var y = Send();
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        var callY = await _upstream.NextAsync();
        var z = Send();
        await _time.WaitForTimerAsync(d => d == Cap);
        _upstream.Pending.Should().Be(0, "the restored budget of 2 holds X (still in flight) and Y");

        callX.Reply.SetResult(Response(("x-ratelimit-limit-requests", "2"), ("x-ratelimit-remaining-requests", "1"), ("x-ratelimit-reset-requests", "0s")));
        callY.Reply.SetResult(Response(("x-ratelimit-limit-requests", "2"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "1s")));
        await Task.WhenAll(x, y);
        _upstream.Pending.Should().Be(0, "Y's response, reserved in the new window, says it is spent until its reset");

        // Z waits again, now until Y's reset: advance the clock only once that wait is set (Z re-arms on another thread).
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        await AnswerAsync();
        await z;
    }

    [Fact]
    public async Task TokenBudget_ACallLargerThanWhatRemainsWaits_ASmallerOneGoes()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "100"), ("x-ratelimit-remaining-requests", "99"), ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-limit-tokens", "10000"), ("x-ratelimit-remaining-tokens", "3000"), ("x-ratelimit-reset-tokens", "45s"));

        var small = Send(maxTokens: 1000);
        await AnswerAsync();
        await small;
        Limits.Remaining(RateBudgetKind.Tokens).Should().BeLessThan(2000).And.BeGreaterThan(1900, "1,000 out and the body's length / 4 in were spent");

        var large = Send(maxTokens: 4000);
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(45));
        _upstream.Pending.Should().Be(0);
        _time.Advance(TimeSpan.FromSeconds(45));
        await AnswerAsync();
        await large;
    }

    [Fact]
    public async Task AnthropicOutputTokens_ACallOverTheWholeLimitWaitsForAllOfItNotForever()
    {
        await AnswerFirstAsync(("anthropic-ratelimit-output-tokens-limit", "1500"), ("anthropic-ratelimit-output-tokens-remaining", "1000"), ("anthropic-ratelimit-output-tokens-reset", "2026-12-01T12:00:10Z"));

        var call = Send(path: "/v1/messages", maxTokens: 8000);
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));

        await AnswerAsync();
        await call;
        Limits.Remaining(RateBudgetKind.OutputTokens).Should().Be(0, "the call spent the whole restored budget");
    }

    [Fact]
    public async Task WrongReset_FarInTheFuture_TheWaitIsCappedAndTheCallGoes()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "5"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "23h"));

        var call = Send();
        await _time.WaitForTimerAsync(d => d == Cap);
        _time.Advance(Cap - TimeSpan.FromMilliseconds(1));
        _upstream.Pending.Should().Be(0);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await AnswerAsync();
        await call;
        _handler.RateLimitWaits.Should().Be(1);
    }

    [Fact]
    public async Task CancelWhileWaiting_ThrowsAndReservesNothing()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "1"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "5s"));
        using var cancel = new CancellationTokenSource();

        var call = Send(cancellationToken: cancel.Token);
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(5));
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OperationCanceledException>();
        _upstream.Pending.Should().Be(0);
        _time.Advance(TimeSpan.FromSeconds(5));
        var next = Send();
        await AnswerAsync();
        await next;
        Limits.Remaining(RateBudgetKind.Requests).Should().Be(0, "the restored budget of 1 went to the next call, not the cancelled one");
    }

    [Fact]
    public async Task NoHeaders_CallsPassThroughConcurrentlyWithoutWaiting()
    {
        await AnswerFirstAsync();

        var calls = Enumerable.Range(0, 5).Select(_ => Send()).ToList();
        for (int i = 0; i < 5; i++)
        {
            await AnswerAsync();
        }

        await Task.WhenAll(calls);
        _handler.RateLimitWaits.Should().Be(0);
    }

    [Fact]
    public async Task MalformedHeaders_AreIgnoredAndTheCallsGoOn()
    {
        await AnswerFirstAsync(("x-ratelimit-remaining-requests", "zero"), ("x-ratelimit-reset-requests", "-5s"), ("anthropic-ratelimit-tokens-remaining", "1e9"));

        var call = Send();
        await AnswerAsync();
        (await call).StatusCode.Should().Be(HttpStatusCode.OK);
        _handler.RateLimitWaits.Should().Be(0);
    }

    [Fact]
    public async Task ShortWithNoKnownReset_AndNothingInFlight_OneCallGoesAsAProbe()
    {
        await AnswerFirstAsync(("x-ratelimit-remaining-requests", "0"));

        var probe = Send();
        await AnswerAsync(("x-ratelimit-limit-requests", "3"), ("x-ratelimit-remaining-requests", "2"), ("x-ratelimit-reset-requests", "1s"));
        await probe;
        Limits.Remaining(RateBudgetKind.Requests).Should().Be(2);
    }

    [Fact]
    public async Task NotAModelCall_PassesThroughEvenWhenTheBudgetIsSpent()
    {
        await AnswerFirstAsync(("x-ratelimit-limit-requests", "1"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "1m"));

        var poll = _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.test/v1/batches/batch_1"), CancellationToken.None);
        await AnswerAsync(("x-ratelimit-remaining-requests", "500"));
        (await poll).StatusCode.Should().Be(HttpStatusCode.OK);
        Limits.Remaining(RateBudgetKind.Requests).Should().Be(0, "a response to a call that is not a model call teaches nothing");
        AdaptiveRateLimitHandler.IsModelCall(new HttpRequestMessage(HttpMethod.Post, "https://x.test/v1/messages/batches")).Should().BeFalse();
        AdaptiveRateLimitHandler.IsModelCall(new HttpRequestMessage(HttpMethod.Post, "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=1")).Should().BeTrue();
    }

    [Fact]
    public void Estimate_IsTheBodyOverFourPlusItsOutputBudget()
    {
        byte[] openAi = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"hi","max_tokens":5}],"max_completion_tokens":300}""");
        byte[] none = Encoding.UTF8.GetBytes("""{"model":"m"}""");

        AdaptiveRateLimitHandler.Estimate(openAi).Should().Be(new RequestCost((openAi.Length + 3) / 4, 300), "only the top-level budget counts");
        AdaptiveRateLimitHandler.Estimate(none).OutputTokens.Should().Be(AdaptiveRateLimitHandler.DefaultOutputTokens);
        AdaptiveRateLimitHandler.Estimate("not json"u8).Should().Be(new RequestCost(2, AdaptiveRateLimitHandler.DefaultOutputTokens));
    }

    private Task<HttpResponseMessage> Send(string path = "/v1/chat/completions", int maxTokens = 100, CancellationToken cancellationToken = default) =>
        _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://api.test" + path) { Content = new StringContent($$"""{"model":"m","messages":[],"max_tokens":{{maxTokens}}}""") }, cancellationToken);

    private async Task AnswerFirstAsync(params (string Name, string Value)[] headers)
    {
        var first = Send();
        await AnswerAsync(headers);
        await first;
    }

    private async Task AnswerAsync(params (string Name, string Value)[] headers) =>
        (await _upstream.NextAsync()).Reply.SetResult(Response(headers));

    private static HttpResponseMessage Response(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>The network: every call waits until the test answers it.</summary>
    private sealed class Upstream : HttpMessageHandler
    {
        private readonly Channel<(HttpRequestMessage Request, TaskCompletionSource<HttpResponseMessage> Reply)> _calls = Channel.CreateUnbounded<(HttpRequestMessage, TaskCompletionSource<HttpResponseMessage>)>();

        /// <summary>Calls sent and not yet taken by the test.</summary>
        public int Pending => _calls.Reader.Count;

        public async Task<(HttpRequestMessage Request, TaskCompletionSource<HttpResponseMessage> Reply)> NextAsync()
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _calls.Reader.ReadAsync(guard.Token);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var reply = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _calls.Writer.TryWrite((request, reply));
            return reply.Task;
        }
    }
}
