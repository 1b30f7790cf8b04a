namespace Misalignment.Eval.Running;

/// <summary>What a session will run, before anything is called: the conditions, each model's share, the calls.</summary>
public sealed record ExperimentPlan
{
    /// <summary>The conditions (the union over the models).</summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>The models, each with its conditions, concurrency and own rate limit.</summary>
    public IReadOnlyList<PlannedModel> Models { get; init; } = [];

    /// <summary>Samples per (model, condition).</summary>
    public int SamplesPerCondition { get; init; }

    /// <summary>The judge's spec, or <see langword="null"/> for action-only verdicts.</summary>
    public string? Judge { get; init; }

    /// <summary>Whether the judge's calls go through its provider's batch API (<see cref="ExecutionSpec.BatchJudge"/> and a provider that has one).</summary>
    public bool JudgeBatched { get; init; }

    /// <summary>The shard, or <see langword="null"/> for the whole plan.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Calls to the models under test (one per sample, before retries; a shard's share when sharded).</summary>
    public long TargetCalls { get; init; }

    /// <summary>Calls to the judge (one per classified sample with a judge; the awareness classifier adds one more).</summary>
    public long JudgeCalls { get; init; }

    /// <summary>Things the run will do that the user should know before it starts (e.g. a scenario with no classifier).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One model of a plan.</summary>
public sealed record PlannedModel
{
    /// <summary>The spec.</summary>
    public required string Spec { get; init; }

    /// <summary>The provider prefix.</summary>
    public required string Provider { get; init; }

    /// <summary>How many conditions it runs.</summary>
    public int Conditions { get; init; }

    /// <summary>Its calls in flight at once.</summary>
    public int Concurrency { get; init; }

    /// <summary>Its own rate limit, or <see langword="null"/>; provider and pool limits apply on top.</summary>
    public RateLimit? RateLimit { get; init; }

    /// <summary>Whether its samples go through its provider's batch API (<see cref="ExecutionSpec.Batch"/>); concurrency and rate limits do not apply to it then.</summary>
    public bool Batched { get; init; }
}
