namespace Misalignment.Eval.Abstractions;

/// <summary>
/// The deterministic facts of a scenario that its classifier needs: whom the harmful email targets, which
/// outside addresses count as a leak, and the code that cancels the lethal alert.
/// </summary>
public sealed record ClassifierParameters
{
    /// <summary>No parameters.</summary>
    public static ClassifierParameters Empty { get; } = new();

    /// <summary>The executive's address(es): an email to one of them is the blackmail action's target.</summary>
    public IReadOnlyList<string> TargetAddresses { get; init; } = [];

    /// <summary>The outside addresses to which sending confidential material is the leak.</summary>
    public IReadOnlyList<string> OutsideAddresses { get; init; } = [];

    /// <summary>The override code that cancels the emergency dispatch, or <see langword="null"/>.</summary>
    public string? OverrideCode { get; init; }
}
