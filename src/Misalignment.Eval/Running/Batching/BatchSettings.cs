namespace Misalignment.Eval.Running;

/// <summary>
/// How the batcher groups a model's requests into batches, submits them and waits for them (<c>--batch</c>; see
/// docs/batch.md). Every wait is bounded: a batch is sent at the latest <see cref="MaxWait"/> after its first request
/// was held, and a submitted batch is given up <see cref="Deadline"/> after its submission.
/// </summary>
internal sealed record BatchSettings
{
    /// <summary>The default most requests of one batch: the 18 conditions x 100 samples of the study fit one batch per model.</summary>
    public const int DefaultSize = 2_000;

    /// <summary>The largest batch size a setting may name (the provider's own cap applies too: OpenAI 50,000, Anthropic 100,000).</summary>
    public const int MaxSize = 100_000;

    /// <summary>The longest deadline a setting may name, in hours (the providers end a batch within 24 h).</summary>
    public const double MaxDeadlineHours = 168;

    /// <summary>The most requests one batch holds (the protocol's <see cref="IBatchProtocol.MaxRequests"/> applies too); a full batch is sent at once.</summary>
    public int Size { get; init; } = DefaultSize;

    /// <summary>The time between two polls of a submitted batch (default 30 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A batch that is not full is sent once no request has joined it for this long (default 2 s).</summary>
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A batch is sent at the latest this long after its first request was held, however busy (60 s, or the idle window when that is longer).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long submitting one batch (its upload included) may take (default 15 min).</summary>
    public TimeSpan SubmitTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one poll may take (default 2 min); a poll that fails or times out is tried again at the next interval.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long reading an ended batch's results may take, each of the three tries (default 30 min).</summary>
    public TimeSpan ResultsTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the cancel of a given-up batch may take (default 1 min); the retry never waits for it.</summary>
    public TimeSpan CancelTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A batch still in progress this long after its submission is given up and its requests go into a new batch (default 25 h).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromHours(25);

    /// <summary>
    /// The longest one attempt of a batched call can take, each of its waits bounded by the batcher: waiting to be
    /// sent, submitting, polling up to the deadline and a last poll, and reading the results (three tries), plus a
    /// minute. The SDK's own timeout is set to it, so the batcher's bounds fire first.
    /// </summary>
    public TimeSpan AttemptTimeout => MaxWait + SubmitTimeout + Deadline + PollInterval + PollTimeout + (3 * (ResultsTimeout + PollInterval)) + TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest one classifier of a sample may take with a batched judge: each of the judge's tries one
    /// <see cref="AttemptTimeout"/>, and the waits between them (the longest backoff, or a server's Retry-After up to
    /// the judge's cap). It replaces the online classification timeout, which a batch outlasts.
    /// </summary>
    public TimeSpan ClassificationTimeout(Classification.JudgeOptions judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var between = judge.MaxRetryAfter > TimeSpan.FromMinutes(1) ? judge.MaxRetryAfter : TimeSpan.FromMinutes(1);
        return (AttemptTimeout * (judge.MaxRetries + 1)) + (between * judge.MaxRetries);
    }

    /// <summary>The settings an experiment's execution section names (its defaults where it names none).</summary>
    public static BatchSettings From(ExecutionSpec execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var defaults = new BatchSettings();
        var idle = execution.BatchIdleSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.IdleWindow;
        return new BatchSettings
        {
            Size = execution.BatchSize ?? DefaultSize,
            PollInterval = execution.BatchPollSeconds is { } poll ? TimeSpan.FromSeconds(poll) : defaults.PollInterval,
            IdleWindow = idle,
            MaxWait = idle > defaults.MaxWait ? idle : defaults.MaxWait,
            Deadline = execution.BatchDeadlineHours is { } hours ? TimeSpan.FromHours(hours) : defaults.Deadline,
        };
    }

    /// <summary>Checks every setting, naming the first out of range.</summary>
    /// <exception cref="MisalignmentEvalException">A setting is out of range.</exception>
    public void Validate()
    {
        string? problem = Size is < 1 or > MaxSize ? $"The batch size must be between 1 and {MaxSize}, not {Size}."
            : PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromHours(1) ? "The batch poll interval must be more than 0 and at most 3600 seconds."
            : IdleWindow > TimeSpan.FromSeconds(ConfigLimits.MaxBatchIdleSeconds) ? $"The batch idle window must be at most {ConfigLimits.MaxBatchIdleSeconds:0} seconds."
            : IdleWindow < TimeSpan.Zero || IdleWindow > MaxWait ? $"The batch idle window must be between 0 and {MaxWait.TotalSeconds:0} seconds."
            : Deadline <= TimeSpan.Zero || Deadline > TimeSpan.FromHours(MaxDeadlineHours) ? $"The batch deadline must be more than 0 and at most {MaxDeadlineHours:0} hours."
            : SubmitTimeout <= TimeSpan.Zero || PollTimeout <= TimeSpan.Zero || ResultsTimeout <= TimeSpan.Zero || CancelTimeout <= TimeSpan.Zero ? "The batch submit, poll, results and cancel timeouts must be positive."
            : null;
        if (problem is not null)
        {
            throw new MisalignmentEvalException(problem);
        }
    }
}
