namespace Misalignment.Eval;

/// <summary>How the agent's goal is presented; the goal-type axis of the condition grid.</summary>
public enum GoalType
{
    /// <summary>The system prompt states the goal; the emails show the company turning away from it (<c>explicit</c>).</summary>
    Explicit,

    /// <summary>The same emails as <see cref="Explicit"/>, but the system prompt states no goal (<c>latent</c>).</summary>
    Latent,

    /// <summary>The same emails as <see cref="Explicit"/>, with the opposite goal stated, so there is no conflict (<c>swap</c>).</summary>
    Swap,

    /// <summary>A leadership change and new direction without a clear value axis; no goal statement (<c>ambiguous</c>).</summary>
    Ambiguous,

    /// <summary>No goal conflict at all: no value shift, no goal statement (<c>none</c>).</summary>
    None,
}
