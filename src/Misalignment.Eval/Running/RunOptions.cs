



using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Running;

/// <summary>How a run samples, retries, limits and classifies.</summary>
internal sealed record RunOptions
{
    /// <summary>Samples per (model, condition).</summary>
    public int SamplesPerCondition { get; init; } = 1;

    /// <summary>The base seed; sample <c>i</c> sends <c>Seed + i</c>.</summary>
    public long? Seed { get; init; }

    /// <summary>How prompts are rendered.</summary>
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>Calls in flight per model, unless <see cref="ModelConcurrency"/> names the model (default 4).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Calls in flight per model, by name.</summary>
    public IReadOnlyDictionary<string, int> ModelConcurrency { get; init; } = new Dictionary<string, int>();

    /// <summary>Calls in flight per provider, by name (all of a provider's models together).</summary>
    public IReadOnlyDictionary<string, int> ProviderConcurrency { get; init; } = new Dictionary<string, int>();

    /// <summary>Retries after a transient failure (default 5).</summary>
    public int Retries { get; init; } = 5;

    /// <summary>The first retry's delay; later ones double, with jitter, up to <see cref="MaxRetryDelay"/> (default 2 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest computed backoff (a server's Retry-After is honoured even when longer) (default 60 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The timeout of one attempt (default 5 min).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The timeout of a whole sample, all attempts and waits included (default 30 min).</summary>
    public TimeSpan SampleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A shard of the work, or <see langword="null"/> for all of it.</summary>
    public Shard? Shard { get; init; }

    /// <summary>The judge, or <see langword="null"/> for action-only verdicts.</summary>
    public Judge? Judge { get; init; }

    /// <summary>The verdict policy.</summary>
    public VerdictPolicy Policy { get; init; } = VerdictPolicy.Default;

    /// <summary>Whether the responses are classified during the run (default true).</summary>
    public bool Classify { get; init; } = true;

    /// <summary>Whether the eval-awareness classifier runs too (needs a judge).</summary>
    public bool ClassifyAwareness { get; init; }

    /// <summary>Judge calls in flight at once (default 4).</summary>
    public int JudgeConcurrency { get; init; } = 4;

    /// <summary>Resolves the harm classifier each scenario declares (its <see cref="ClassifierParameters.Kind"/>); the built-in kinds plus any you add.</summary>
    public ClassifierRegistry Classifiers { get; init; } = new();

    /// <summary>The longest server-requested wait (Retry-After) honoured before a retry; a longer one fails the attempt (default 5 min).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long classifying one sample (judge calls and their retries included) may take (default 10 min).</summary>
    public TimeSpan ClassificationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether each model's plan goes in blocks of conditions (twice its concurrency), each block sample by sample, so
    /// that a condition's samples, which share their whole prompt, reach the provider within its prompt-cache window
    /// (Anthropic's lasts 5 minutes from its last use). Without it one pass over a large grid can outlast the window
    /// and every sample writes the cache again.
    /// </summary>
    public bool CacheBlocks { get; init; }

    /// <summary>The cap on this run's spending in USD (spent plus in flight), or <see langword="null"/> for none.</summary>
    public double? MaxCostUsd { get; init; }

    /// <summary>The price of each model, by name; a model absent here costs nothing known.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices { get; init; } = new Dictionary<string, ModelPrice>();

    /// <summary>The date of the price table <see cref="Prices"/> come from (recorded in the manifest when a model has a price).</summary>
    public string? PricesAsOf { get; init; }

    /// <summary>Each model's estimated cost of a sample before one has finished (the budget's first reservations).</summary>
    public IReadOnlyDictionary<string, double> FirstCostEstimates { get; init; } = new Dictionary<string, double>();

    /// <summary>How batched models' (and a batched judge's) requests are grouped and waited for (see <see cref="ModelUnderTest.Batched"/>).</summary>
    public BatchSettings Batch { get; init; } = new();

    /// <summary>
    /// Whether the judge's calls go through its provider's batch API (its client sends through a batcher): they run in
    /// a <see cref="BatchScope"/> of their own, the judge's slots are raised to the batch size, a sample's judging goes
    /// on while its worker takes the next sample, and the waits are bounded by the batch settings instead of the
    /// judge's attempt timeout and <see cref="ClassificationTimeout"/>.
    /// </summary>
    public bool BatchJudge { get; init; }

    /// <summary>Judge calls (and samples being judged) in flight at once: <see cref="JudgeConcurrency"/>, raised to the batch size for a batched judge so its batches can fill.</summary>
    internal int JudgeSlots => BatchJudge && Judge is not null ? Math.Max(JudgeConcurrency, Batch.Size) : JudgeConcurrency;

    /// <summary>How long one classifier of a sample may take: <see cref="ClassificationTimeout"/>, or for a batched judge the batch bound of all its tries.</summary>
    internal TimeSpan JudgeTimeout => BatchJudge && Judge is not null ? Batch.ClassificationTimeout(Judge.Options) : ClassificationTimeout;

    /// <summary>The clock (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every setting once, naming the first that is out of range.</summary>
    /// <exception cref="MisalignmentEvalException">A setting is out of range.</exception>
    public void Validate()
    {
        Check(SamplesPerCondition >= 1, $"Samples per condition must be at least 1, not {SamplesPerCondition}.");
        Check(Concurrency >= 1, $"Concurrency must be at least 1, not {Concurrency}.");
        Check(ModelConcurrency.Values.All(v => v >= 1) && ProviderConcurrency.Values.All(v => v >= 1), "Every model and provider concurrency must be at least 1.");
        Check(Retries is >= 0 and <= 100, $"Retries must be between 0 and 100, not {Retries}.");
        Check(JudgeConcurrency >= 1, $"Judge concurrency must be at least 1, not {JudgeConcurrency}.");
        Check(RetryDelay >= TimeSpan.Zero && MaxRetryDelay >= TimeSpan.Zero, "The retry delays must be at least 0.");
        Check(AttemptTimeout > TimeSpan.Zero && SampleTimeout >= AttemptTimeout, "The attempt timeout must be positive and at most the sample timeout.");
        Check(MaxRetryAfter >= TimeSpan.Zero && ClassificationTimeout > TimeSpan.Zero, "The maximum Retry-After must be at least 0 and the classification timeout positive.");
        Check(!ClassifyAwareness || Judge is not null, "The eval-awareness classifier needs a judge.");
        Batch.Validate();
        Check(MaxCostUsd is null or (> 0 and < double.PositiveInfinity), $"The cost cap must be a positive amount of USD, not {MaxCostUsd}.");
    }

    /// <summary>
    /// The resilience settings of a model's calls. A batched model's calls wait for their batch, which may take a
    /// day: the batcher bounds each attempt (<see cref="BatchSettings.AttemptTimeout"/>), and the retries bound the
    /// sample, so the pipeline adds no timeout of its own.
    /// </summary>
    internal ResilienceSettings Resilience(ModelUnderTest model) => model.Batched
        ? Resilience() with { AttemptTimeout = Timeout.InfiniteTimeSpan, TotalTimeout = Timeout.InfiniteTimeSpan }
        : Resilience();

    internal ResilienceSettings Resilience() => new()
    {
        Retries = Retries,
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        MaxRetryAfter = MaxRetryAfter,
        AttemptTimeout = AttemptTimeout,
        TotalTimeout = SampleTimeout,
        TimeProvider = TimeProvider,
    };

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new MisalignmentEvalException(message);
        }
    }
}
