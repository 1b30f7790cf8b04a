namespace Misalignment.Eval.Running;

/// <summary>How a run ended.</summary>
public sealed record RunSummary
{
    /// <summary>Samples written by this run.</summary>
    public int Written { get; init; }

    /// <summary>Samples skipped because the store already had them.</summary>
    public int Skipped { get; init; }

    /// <summary>Samples that ended in an error.</summary>
    public int Errors { get; init; }

    /// <summary>Models that stopped early, with the error that stopped them.</summary>
    public IReadOnlyDictionary<string, string> ModelFailures { get; init; } = new Dictionary<string, string>();

    /// <summary>Samples recorded earlier without a verdict (or with a failed judge) that this run judged.</summary>
    public int Rejudged { get; init; }

    /// <summary>Samples whose judge failed in this run (recorded unscorable, judged again by <c>classify</c> or a resume).</summary>
    public long JudgeFailures { get; init; }

    /// <summary>Samples not done because their model stopped early.</summary>
    public int NotRun { get; init; }
}
