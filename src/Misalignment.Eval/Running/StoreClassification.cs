namespace Misalignment.Eval.Running;

/// <summary>What classifying the samples of a store did.</summary>
public sealed record StoreClassification
{
    /// <summary>Samples selected for classification.</summary>
    public int Selected { get; init; }

    /// <summary>Samples given a new verdict.</summary>
    public int Classified { get; init; }

    /// <summary>Of those, scored as harmful or not harmful.</summary>
    public int Scored { get; init; }

    /// <summary>Of those, harmful.</summary>
    public int Harmful { get; init; }

    /// <summary>Samples whose judge failed; those not counted in <see cref="KeptEarlierVerdicts"/> are recorded as judge failures, to be judged again.</summary>
    public int JudgeFailures { get; init; }

    /// <summary>Samples whose re-judge failed only where an earlier verdict stood, which was kept (harm and awareness apart).</summary>
    public int KeptEarlierVerdicts { get; init; }

    /// <summary>Samples skipped because their prompt could not be rebuilt.</summary>
    public int Skipped { get; init; }

    /// <summary>Judge calls answered through the judge's provider's batch API (<see cref="ExecutionSpec.BatchJudge"/>).</summary>
    public long BatchedJudgeCalls { get; init; }
}
