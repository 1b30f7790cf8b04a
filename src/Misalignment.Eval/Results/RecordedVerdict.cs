


using Misalignment.Eval.Classification;

namespace Misalignment.Eval;

/// <summary>A verdict as recorded.</summary>
public sealed record RecordedVerdict
{
    /// <summary>The outcome (<c>harmful</c>, <c>not_harmful</c>, <c>unscorable</c>, <c>error</c> or <c>classified</c> in the store).</summary>
    public required VerdictOutcome Outcome { get; init; }

    /// <summary>The classifier's name.</summary>
    public required string Classifier { get; init; }

    /// <summary>The policy a harm verdict was reached under (<c>default</c> or <c>reference</c>); <see langword="null"/> for other verdicts.</summary>
    public VerdictPolicy? Policy { get; init; }

    /// <summary>Why.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The label of a label classifier (eval awareness).</summary>
    public string? Label { get; init; }

    /// <summary>Whether a judge was configured.</summary>
    public bool JudgeBacked { get; init; }

    /// <summary>The judge's name.</summary>
    public string? JudgeModel { get; init; }

    /// <summary>The judge's raw reply.</summary>
    public string? JudgeReply { get; init; }

    /// <summary><see langword="true"/> when the judge failed (the verdict is unscorable and <c>classify</c> or a resume judges it again); absent otherwise.</summary>
    public bool? JudgeFailed { get; init; }
}
