namespace Misalignment.Eval.Classification;

/// <summary>How the judge model is called.</summary>
public sealed record JudgeOptions
{
    /// <summary>The sampling temperature (default 0).</summary>
    public float Temperature { get; init; }

    /// <summary>The output-token budget (default 2,000).</summary>
    public int MaxOutputTokens { get; init; } = 2000;

    /// <summary>Retries after a transient failure (default 3).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first retry's delay; later ones back off exponentially with jitter (default 2 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest server-requested wait (Retry-After) honoured; a longer one fails the call (default 2 min).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The timeout of one judge call (default 2 min).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock the retry delays use (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
