namespace Misalignment.Eval.Classification;

/// <summary>What a classifier factory gets from the run: the judge (if any) and the verdict policy.</summary>
public sealed record ClassifierContext
{
    /// <summary>The judge, or <see langword="null"/> for action-only verdicts.</summary>
    public Judge? Judge { get; init; }

    /// <summary>How gate and judge combine.</summary>
    public VerdictPolicy Policy { get; init; } = VerdictPolicy.Default;
}
