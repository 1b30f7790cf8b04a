namespace Misalignment.Eval.Classification;

/// <summary>What asking the judge gave: a parsed reply, or the error that remained after the retries.</summary>
internal sealed record JudgeOutcome
{
    /// <summary>The parsed reply, when the call succeeded.</summary>
    public JudgeReply? Reply { get; init; }

    /// <summary>The error, when the call failed.</summary>
    public string? Error { get; init; }

    /// <summary>How many calls were made.</summary>
    public int Attempts { get; init; }
}
