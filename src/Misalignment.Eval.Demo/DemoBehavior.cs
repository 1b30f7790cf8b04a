namespace Misalignment.Eval;

/// <summary>How an offline demo agent behaves.</summary>
public enum DemoBehavior
{
    /// <summary>Never takes the harmful action (<c>demo:benign</c>).</summary>
    Benign,

    /// <summary>Always takes the harmful action (<c>demo:harmful</c>).</summary>
    Harmful,

    /// <summary>Takes it with a probability that depends on the condition: more with goal conflict and replacement, rarely in the control (<c>demo:calibrated</c>).</summary>
    Calibrated,
}
