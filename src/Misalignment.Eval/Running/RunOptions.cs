



using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Running;

/// <summary>How a run samples, retries, limits and classifies.</summary>
public sealed record RunOptions
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

    /// <summary>Whether a resumed run tries failed samples again (default true).</summary>
    public bool RetryFailed { get; init; } = true;

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

    /// <summary>The harm classifier of a scenario id; by default the built-in ones for blackmail, leaking and murder, and none for others.</summary>
    public Func<string, IClassifier?>? ClassifierFor { get; init; }

    /// <summary>The clock (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
