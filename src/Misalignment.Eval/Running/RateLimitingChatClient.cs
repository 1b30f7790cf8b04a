using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>
/// Chat-client middleware that waits for every applicable request and token budget before each call (a model's
/// own, its provider's, a shared pool's), and counts the waits.
/// </summary>
internal sealed class RateLimitingChatClient : DelegatingChatClient
{
    private readonly IReadOnlyList<SmoothRateLimiter> _requests;
    private readonly IReadOnlyList<SmoothRateLimiter> _tokens;
    private long _waits;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="requestLimiters">Request-per-minute limiters; all must grant a request.</param>
    /// <param name="tokenLimiters">Token-per-minute limiters; all must grant the call's estimated tokens.</param>
    public RateLimitingChatClient(IChatClient innerClient, IEnumerable<SmoothRateLimiter> requestLimiters, IEnumerable<SmoothRateLimiter>? tokenLimiters = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(requestLimiters);
        _requests = [.. requestLimiters];
        _tokens = [.. tokenLimiters ?? []];
    }

    /// <summary>How many calls have waited for a budget so far.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        await WaitAsync(list, options, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        await WaitAsync(list, options, cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>A call's token estimate: about four characters a token for the input, plus the output budget (or 1,000).</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <returns>The estimate.</returns>
    public static int EstimateTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        long characters = messages.Sum(m => (long)(m.Text?.Length ?? 0));
        return (int)Math.Min(int.MaxValue, (characters / 4) + (options?.MaxOutputTokens ?? 1000));
    }

    private async Task WaitAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        bool waited = false;
        foreach (var limiter in _requests)
        {
            waited |= await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_tokens.Count > 0)
        {
            int estimate = EstimateTokens(messages, options);
            foreach (var limiter in _tokens)
            {
                waited |= await limiter.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
            }
        }

        if (waited)
        {
            Interlocked.Increment(ref _waits);
            RunTelemetry.RateLimitWaits.Add(1);
        }
    }
}
