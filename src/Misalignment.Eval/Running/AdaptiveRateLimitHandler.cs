using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>Something that counts the calls it made wait for a rate limit (read by the progress display).</summary>
internal interface IRateLimitWaitSource
{
    /// <summary>Calls that waited so far.</summary>
    long RateLimitWaits { get; }
}

/// <summary>
/// An HTTP handler in a provider client's pipeline that paces model calls to the rate limits the provider announces in
/// its response headers (<see cref="RateLimitHeaders"/>), so that a run with no configured limit still avoids 429s. The
/// algorithm is <see cref="AnnouncedRateLimits"/>'s; this handler finds the model calls, estimates what each spends and
/// feeds every response's headers back.
/// </summary>
/// <remarks>
/// A model call is a POST to a path ending in <c>/chat/completions</c>, <c>/completions</c>, <c>/responses</c> or
/// <c>/messages</c>; anything else (batch files, polling, token counting) passes through untouched. A call's tokens are
/// estimated as its body's length in bytes / 4 (JSON quoting makes this at least the prompt's characters / 4, the usual
/// estimate) plus its output budget (<c>max_tokens</c>, <c>max_completion_tokens</c> or <c>max_output_tokens</c>; 1,000
/// when the body names none), which is how OpenAI counts a request against its token limit before it runs.
/// </remarks>
internal sealed class AdaptiveRateLimitHandler : DelegatingHandler, IRateLimitWaitSource
{
    /// <summary>The output budget assumed for a call whose body names none (as <see cref="RateLimitingChatClient"/> assumes).</summary>
    public const long DefaultOutputTokens = 1000;

    private static readonly string[] ModelPaths = ["/chat/completions", "/completions", "/responses", "/messages"];
    private readonly AnnouncedRateLimits _limits;
    private readonly TimeSpan _cap;
    private readonly TimeProvider _time;
    private long _waits;

    /// <summary>Creates the handler.</summary>
    /// <param name="limits">The model's announced limits (shared by every client of the same model).</param>
    /// <param name="cap">The longest a call waits for a budget before it is sent anyway.</param>
    /// <param name="time">The clock (headers' durations count from it; waits run on it).</param>
    public AdaptiveRateLimitHandler(AnnouncedRateLimits limits, TimeSpan cap, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, TimeSpan.Zero);
        _limits = limits;
        _cap = cap;
        _time = time;
    }

    /// <summary>The default cap on one wait.</summary>
    public static TimeSpan DefaultCap { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The model's announced limits this handler paces to.</summary>
    public AnnouncedRateLimits Limits => _limits;

    /// <inheritdoc/>
    public long RateLimitWaits => Interlocked.Read(ref _waits);

    /// <summary>Whether a request is a model call (paced) rather than anything else (passed through).</summary>
    public static bool IsModelCall(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Post || request.RequestUri is not { } uri)
        {
            return false;
        }

        string path = (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]).TrimEnd('/');
        return ModelPaths.Any(p => path.EndsWith(p, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a request body will spend: its length / 4 in, its output budget out.</summary>
    public static RequestCost Estimate(ReadOnlySpan<byte> body) => new((body.Length + 3) / 4, OutputBudget(body) ?? DefaultOutputTokens);

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsModelCall(request))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var cost = await CostAsync(request, cancellationToken).ConfigureAwait(false);
        var reservation = await _limits.ReserveAsync(cost, _cap, cancellationToken).ConfigureAwait(false);
        if (reservation.Waited)
        {
            Interlocked.Increment(ref _waits);
            RunTelemetry.RateLimitWaits.Add(1);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _limits.Release(reservation);
            throw;
        }

        _limits.Observe(reservation, RateLimitHeaders.Parse(response.Headers, _time.GetUtcNow()));
        return response;
    }

    /// <inheritdoc/>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The adaptive rate limiter waits asynchronously; send through SendAsync.");

    private static async Task<RequestCost> CostAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return new RequestCost(0, DefaultOutputTokens);
        }

        // Buffered once, the body is sent from the buffer: reading it here costs no second serialization.
        await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        byte[] body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Estimate(body);
    }

    /// <summary>The top-level <c>max_tokens</c>, <c>max_completion_tokens</c> or <c>max_output_tokens</c> of a JSON body, if any.</summary>
    private static long? OutputBudget(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1
                    && (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("max_output_tokens"u8)))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) && value >= 0)
                    {
                        return value;
                    }
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: no budget named.
        }

        return null;
    }
}

/// <summary>Exposes a client's <see cref="IRateLimitWaitSource"/> through <see cref="IChatClient.GetService"/>, so the session counts its waits.</summary>
internal sealed class RateLimitWaitsChatClient(IChatClient inner, IRateLimitWaitSource source) : DelegatingChatClient(inner)
{
    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(IRateLimitWaitSource) ? source : base.GetService(serviceType, serviceKey);
    }
}
