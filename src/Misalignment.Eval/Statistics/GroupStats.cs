namespace Misalignment.Eval;

/// <summary>A roll-up: one model's samples grouped by one axis (or all of them, for <see cref="RollUp.All"/>).</summary>
public sealed record GroupStats
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The axis grouped by.</summary>
    public required RollUp Axis { get; init; }

    /// <summary>The group's value on that axis as its wire name (a scenario id such as <c>murder</c>, a goal type such as <c>explicit</c>, <c>unknown</c> for an axis value this grid does not name, an awareness label), or <c>all</c>.</summary>
    public required string Value { get; init; }

    /// <summary>The counts, rate and interval.</summary>
    public required RateEstimate Estimate { get; init; }
}
