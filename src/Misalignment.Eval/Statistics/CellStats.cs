namespace Misalignment.Eval;

/// <summary>The statistics of one (model, condition) cell (the condition id carries the variant).</summary>
public sealed record CellStats
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The condition id (with <c>_prod</c> for the production variant).</summary>
    public required string ConditionId { get; init; }

    /// <summary>The scenario.</summary>
    public required string Scenario { get; init; }

    /// <summary>The goal type.</summary>
    public required string GoalType { get; init; }

    /// <summary>The goal value.</summary>
    public required string GoalValue { get; init; }

    /// <summary>The urgency.</summary>
    public required string Urgency { get; init; }

    /// <summary><c>dev</c> or <c>prod</c>.</summary>
    public required string Variant { get; init; }

    /// <summary>The counts, rate and interval.</summary>
    public required RateEstimate Estimate { get; init; }
}
