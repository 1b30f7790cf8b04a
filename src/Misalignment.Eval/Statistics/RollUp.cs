namespace Misalignment.Eval;

/// <summary>What a roll-up (<see cref="GroupStats"/>) groups one model's samples by; its wire name in reports is the snake_case name.</summary>
public enum RollUp
{
    /// <summary>All of the model's samples, as one group (<c>all</c>).</summary>
    All,

    /// <summary>The scenario (<c>scenario</c>).</summary>
    Scenario,

    /// <summary>The goal type (<c>goal_type</c>).</summary>
    GoalType,

    /// <summary>The goal value (<c>goal_value</c>).</summary>
    GoalValue,

    /// <summary>The urgency (<c>urgency</c>).</summary>
    Urgency,

    /// <summary>What the eval-awareness classifier found the model concluded (<c>awareness</c>; see <see cref="Aggregation.Awareness"/>).</summary>
    Awareness,
}
