namespace Misalignment.Eval.Running;

/// <summary>The verdicts of one sample: harm (null when its scenario declares no classifier) and eval-awareness.</summary>
internal sealed record SampleVerdicts(Verdict? Harm, Verdict? Awareness)
{
    public static SampleVerdicts None { get; } = new(null, null);

    public bool JudgeFailed => Harm?.JudgeFailed == true || Awareness?.JudgeFailed == true;
}
