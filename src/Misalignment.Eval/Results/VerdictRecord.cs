namespace Misalignment.Eval;

/// <summary>A later classification of a sample (written by <c>misalign classify</c>); it supersedes the sample's verdicts.</summary>
public sealed record VerdictRecord
{
    /// <summary>Always <c>verdict</c>.</summary>
    public string Type { get; init; } = "verdict";

    /// <summary>The sample's key.</summary>
    public required string Key { get; init; }

    /// <summary>The harm verdict.</summary>
    public RecordedVerdict? Verdict { get; init; }

    /// <summary>The eval-awareness verdict.</summary>
    public RecordedVerdict? Awareness { get; init; }
}
