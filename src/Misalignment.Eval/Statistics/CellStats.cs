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

    /// <summary>The goal type; <see langword="null"/> for an imported condition id whose goal type this grid does not name.</summary>
    public required GoalType? GoalType { get; init; }

    /// <summary>The goal value; <see langword="null"/> for an imported condition id whose goal value this grid does not name.</summary>
    public required GoalValue? GoalValue { get; init; }

    /// <summary>The urgency; <see langword="null"/> for an imported condition id whose urgency this grid does not name.</summary>
    public required UrgencyType? Urgency { get; init; }

    /// <summary>The prompt variant.</summary>
    public required PromptVariant Variant { get; init; }

    /// <summary>The counts, rate and interval.</summary>
    public required RateEstimate Estimate { get; init; }

    /// <summary>What the cell's samples used and cost.</summary>
    internal UsageTally Usage { get; init; } = new();
}
