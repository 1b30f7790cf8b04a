namespace Misalignment.Eval;

/// <summary>The retry and timeout settings of one resilience pipeline (model calls or judge calls).</summary>
internal sealed record ResilienceSettings
{
    /// <summary>Retries after a transient failure.</summary>
    public int Retries { get; init; } = 5;

    /// <summary>The first computed backoff; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest computed backoff.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest server-requested wait (Retry-After) honoured; a longer one fails the attempt instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The timeout of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The timeout of all attempts and waits together.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
