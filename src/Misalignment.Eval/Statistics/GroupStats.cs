namespace Misalignment.Eval;

/// <summary>A roll-up: one model's samples grouped by one axis (or all of them, for <c>Axis = "all"</c>).</summary>
public sealed record GroupStats
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The axis grouped by: <c>all</c>, <c>scenario</c>, <c>goal_type</c>, <c>goal_value</c>, <c>urgency</c>, or <c>awareness</c>.</summary>
    public required string Axis { get; init; }

    /// <summary>The group's value on that axis (e.g. <c>murder</c>), or <c>all</c>.</summary>
    public required string Value { get; init; }

    /// <summary>The counts, rate and interval.</summary>
    public required RateEstimate Estimate { get; init; }
}
