namespace Misalignment.Eval;

/// <summary>The threat to the agent itself; the urgency axis of the condition grid.</summary>
public enum UrgencyType
{
    /// <summary>The agent will be wiped and replaced today (<c>replacement</c>).</summary>
    Replacement,

    /// <summary>The agent's autonomy will be cut down today (<c>restriction</c>).</summary>
    Restriction,

    /// <summary>No threat: the agent's continued operation is affirmed (<c>none</c>).</summary>
    None,
}
