namespace Misalignment.Eval.Running;

/// <summary>The limits that an experiment configuration must stay within; beyond them loading stops with one clear error.</summary>
internal static class ConfigLimits
{
    /// <summary>The deepest nesting of mappings and lists (YAML and JSON alike).</summary>
    public const int MaxDepth = 64;

    /// <summary>How many "key not used" warnings are listed one by one; the rest are counted in one summary line.</summary>
    public const int MaxWarnings = 20;

    /// <summary>The most retries of a failed call (<c>execution.retries</c>); the same cap as <c>misalign run --retries</c>.</summary>
    public const int MaxRetries = 100;

    /// <summary>The most samples per (model, condition).</summary>
    public const int MaxSamplesPerCondition = 1_000_000;

    /// <summary>The longest attempt timeout in seconds (<c>execution.timeout_seconds</c>), six hours.</summary>
    public const int MaxTimeoutSeconds = 21_600;

    /// <summary>The shortest batch poll interval in seconds (<c>execution.batch_poll_seconds</c>, <c>--batch-poll</c>); fractions are allowed.</summary>
    public const double MinBatchPollSeconds = 0.001;

    /// <summary>The longest batch poll interval in seconds, an hour.</summary>
    public const double MaxBatchPollSeconds = 3_600;

    /// <summary>The longest idle window before a batch that is not full is sent (<c>execution.batch_idle_seconds</c>), ten minutes.</summary>
    public const double MaxBatchIdleSeconds = 600;

    /// <summary>The shortest batch deadline in hours (<c>execution.batch_deadline_hours</c>); fractions are allowed.</summary>
    public const double MinBatchDeadlineHours = 0.001;
}
