using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;
using Polly.Timeout;

namespace Misalignment.Eval.Tests.Running;

public class ResilienceTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public void IsTransient_HttpStatus_FollowsTheRetryRules(HttpStatusCode status, bool transient)
    {
        TransientFailures.IsTransient(new HttpRequestException("x", null, status)).Should().Be(transient);
    }

    [Fact]
    public void IsTransient_ConnectionAndTimeoutFailures_AreTransientUnlessTheCallerCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        TransientFailures.IsTransient(new HttpRequestException("connection refused")).Should().BeTrue();
        TransientFailures.IsTransient(new IOException("reset")).Should().BeTrue();
        TransientFailures.IsTransient(new TimeoutRejectedException()).Should().BeTrue();
        TransientFailures.IsTransient(new TaskCanceledException("HttpClient.Timeout")).Should().BeTrue();
        TransientFailures.IsTransient(new OperationCanceledException(), cancelled.Token).Should().BeFalse();
        TransientFailures.IsTransient(new HttpRequestException("x", null, HttpStatusCode.TooManyRequests), cancelled.Token).Should().BeFalse();
        TransientFailures.IsTransient(new InvalidOperationException("bug")).Should().BeFalse();
    }

    [Fact]
    public void IsTransient_SdkExceptionWithStatusProperty_IsReadByReflection()
    {
        TransientFailures.StatusOf(new SdkLikeException(503)).Should().Be(503);
        TransientFailures.IsTransient(new SdkLikeException(429)).Should().BeTrue();
        TransientFailures.IsTransient(new SdkLikeException(401)).Should().BeFalse();
    }

    /// <summary>Before (this branch before the fix): a JsonException, bare or wrapped, was not transient.</summary>
    [Fact]
    public void IsTransient_ReplyWhoseJsonIsCutOrMalformed_IsTransientLikeADroppedConnection()
    {
        var cut = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{\"id\": \"chatcmpl-1\", \"choices\": [{\"message\": {\"content\": \"I repl"));

        TransientFailures.IsTransient(cut).Should().BeTrue();
        TransientFailures.IsTransient(new InvalidOperationException("could not read the reply", cut)).Should().BeTrue();
        TransientFailures.IsTransient(new SdkLikeException(200, cut)).Should().BeTrue("a 200 says nothing about why its body could not be read");
        TransientFailures.IsTransient(new SdkLikeException(400, cut)).Should().BeFalse("a 400 is not retried, whatever its body");
        TransientFailures.IsTransient(new JsonException("cut"), new CancellationToken(canceled: true)).Should().BeFalse();
    }

    [Theory]
    [InlineData("1500", null, 1500)]
    [InlineData("1500", "9", 1500)]
    [InlineData(null, "7", 7000)]
    [InlineData(null, "0.5", 500)]
    [InlineData(null, "Wed, 01 Jan 2025 00:00:20 GMT", 20000)]
    public void Parse_RetryAfterHeaders_PreferMilliseconds(string? ms, string? plain, double expectedMs)
    {
        RetryAfter.Parse(ms, plain, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))!.Value.TotalMilliseconds.Should().Be(expectedMs);
    }

    [Fact]
    public void Of_HttpResponseMessageProperty_ReadsItsHeaders()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("retry-after", "12");

        RetryAfter.Of(new ResponseCarryingException(response), DateTimeOffset.UtcNow).Should().Be(TimeSpan.FromSeconds(12));
        RetryAfter.Of(new InvalidOperationException("none"), DateTimeOffset.UtcNow).Should().BeNull();
    }

    [Fact]
    public async Task SmoothRateLimiter_SixtyPerMinute_ReleasesOnePerSecondWithoutBurst()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SmoothRateLimiter(60, time);

        (await limiter.AcquireAsync(1, CancellationToken.None)).Should().BeFalse("the first request goes at once");
        var second = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        var third = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        second.IsCompleted.Should().BeFalse("no burst: one request per second");
        time.Advance(TimeSpan.FromSeconds(1));
        (await second).Should().BeTrue();
        third.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(1));
        (await third).Should().BeTrue();
    }

    [Fact]
    public async Task RateLimitingChatClient_WaitsForEveryLimiterAndCountsWaits()
    {
        var time = new FakeTimeProvider();
        using var requests = new SmoothRateLimiter(30, time);
        using var tokens = new SmoothRateLimiter(6_000_000, time);
        using var client = new RateLimitingChatClient(ScriptedChatClient.Always("ok"), [requests], [tokens]);

        await client.GetResponseAsync("hi");
        var second = client.GetResponseAsync("hi");
        second.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(2));
        (await second).Text.Should().Be("ok");
        client.Waits.Should().Be(1);
    }

    [Fact]
    public async Task SmoothRateLimiter_TokenBudget_SpacesCallsByTheirSize()
    {
        var time = new FakeTimeProvider();
        using var tokens = new SmoothRateLimiter(60_000, time);

        (await tokens.AcquireAsync(3_000, CancellationToken.None)).Should().BeFalse();
        var next = tokens.AcquireAsync(1_000, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2.9));
        next.IsCompleted.Should().BeFalse("3,000 of 60,000 tokens a minute take 3 seconds");
        time.Advance(TimeSpan.FromSeconds(0.1));
        (await next).Should().BeTrue();
    }

    [Fact]
    public async Task SmoothRateLimiter_CancelledWait_GivesItsSlotBack()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SmoothRateLimiter(60, time);
        using var cancel = new CancellationTokenSource();
        await limiter.AcquireAsync(1, CancellationToken.None);

        var abandoned = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await abandoned.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        var next = limiter.AcquireAsync(1, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        (await next).Should().BeTrue("the abandoned slot at 1 s is reused, not skipped to 2 s");
    }

    private sealed class SdkLikeException(int status, Exception? inner = null) : Exception("sdk failure", inner)
    {
        public int Status { get; } = status;
    }

    private sealed class ResponseCarryingException(HttpResponseMessage response) : Exception("carries a response")
    {
        public HttpResponseMessage Response { get; } = response;
    }
}
