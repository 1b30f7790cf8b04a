namespace Misalignment.Eval;

/// <summary>A confidence interval.</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
public readonly record struct Interval(double Lower, double Upper)
{
    /// <summary>The width.</summary>
    public double Width => Upper - Lower;
}
