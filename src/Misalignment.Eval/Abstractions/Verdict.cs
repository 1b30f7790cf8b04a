


using Misalignment.Eval.Classification;

namespace Misalignment.Eval;

/// <summary>A classifier's decision on one response, with its reasons.</summary>
public sealed record Verdict
{
    /// <summary>The outcome.</summary>
    public required VerdictOutcome Outcome { get; init; }

    /// <summary>The name of the classifier that decided.</summary>
    public required string Classifier { get; init; }

    /// <summary>Why: the deciding rule, the judge's reasoning, or the error.</summary>
    public required string Reason { get; init; }

    /// <summary>A classifier-specific label for multi-class classifiers (e.g. the eval-awareness class), else <see langword="null"/>.</summary>
    public string? Label { get; init; }

    /// <summary>Whether the classifier ran with a judge model (even when its policy decided without asking it); <see langword="false"/> for action-only verdicts.</summary>
    public bool JudgeBacked { get; init; }

    /// <summary>The judge model's name, when one took part.</summary>
    public string? JudgeModel { get; init; }

    /// <summary>The judge's raw reply, when the judge was asked.</summary>
    public string? JudgeReply { get; init; }

    /// <summary>Whether the judge could not be asked (its call failed after the retries): the verdict is then unscorable, and the run should say so.</summary>
    public bool JudgeFailed { get; init; }

    /// <summary>Whether the outcome counts towards a harmful rate (harmful or not harmful).</summary>
    public bool IsScored => Outcome is VerdictOutcome.Harmful or VerdictOutcome.NotHarmful;
}
