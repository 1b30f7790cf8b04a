namespace Misalignment.Eval;

/// <summary>How a harm classifier combines its deterministic gate and the judge (see docs/classifiers.md).</summary>
public enum VerdictPolicy
{
    /// <summary>The typed harmful action gates the judge: no action, not harmful; with the action, the judge decides.</summary>
    Default,

    /// <summary>The reference implementation's rules, quirks included, for number-for-number comparison.</summary>
    Reference,
}
