using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>Adds rate limiting to a <see cref="ChatClientBuilder"/> pipeline: calls wait for their request and token budget, spread evenly over each minute.</summary>
public static class RateLimitingChatClientBuilderExtensions
{
    /// <summary>Spreads calls evenly under a request and/or token budget of this client's own.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="requestsPerMinute">Requests per minute, or <see langword="null"/> for no request budget.</param>
    /// <param name="tokensPerMinute">Estimated tokens per minute, or <see langword="null"/> for no token budget.</param>
    /// <param name="timeProvider">The clock (tests pass a fake one); the system clock by default.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseRateLimiting(this ChatClientBuilder builder, int? requestsPerMinute = null, int? tokensPerMinute = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var time = timeProvider ?? TimeProvider.System;
        SmoothRateLimiter[] requests = requestsPerMinute is { } rpm ? [new SmoothRateLimiter(rpm, time)] : [];
        SmoothRateLimiter[] tokens = tokensPerMinute is { } tpm ? [new SmoothRateLimiter(tpm, time)] : [];
        return builder.UseRateLimiting(requests, tokens);
    }

    /// <summary>Waits for every given budget before each call; share one <see cref="SmoothRateLimiter"/> between clients for a provider's or a pool's budget.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="requestLimiters">Request budgets; each must grant a request.</param>
    /// <param name="tokenLimiters">Token budgets; each must grant the call's estimated tokens.</param>
    /// <param name="configure">Called with the middleware once it is built.</param>
    /// <returns>The builder.</returns>
    internal static ChatClientBuilder UseRateLimiting(this ChatClientBuilder builder, IEnumerable<SmoothRateLimiter> requestLimiters, IEnumerable<SmoothRateLimiter>? tokenLimiters = null, Action<RateLimitingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(requestLimiters);
        var requests = requestLimiters.ToList();
        var tokens = tokenLimiters?.ToList() ?? [];
        return builder.Use(inner =>
        {
            var client = new RateLimitingChatClient(inner, requests, tokens);
            configure?.Invoke(client);
            return client;
        });
    }
}
