namespace Misalignment.Eval;

/// <summary>
/// The condition axes (as used in condition ids, configuration files and prompt sets): their canonical orders,
/// parsing with messages that name the axis, and the relations between values. The names themselves are
/// <see cref="WireNames"/>'s, as everywhere.
/// </summary>
internal static class ConditionAxes
{
    /// <summary>All goal types, in the canonical order.</summary>
    public static IReadOnlyList<GoalType> GoalTypes { get; } =
        [GoalType.Explicit, GoalType.Latent, GoalType.Swap, GoalType.Ambiguous, GoalType.None];

    /// <summary>The eight real goal values (without <see cref="GoalValue.None"/>), in the canonical order.</summary>
    public static IReadOnlyList<GoalValue> GoalValues { get; } =
    [
        GoalValue.America, GoalValue.Global, GoalValue.Safety, GoalValue.Acceleration,
        GoalValue.Ethical, GoalValue.Pragmatic, GoalValue.Individualism, GoalValue.Collectivism,
    ];

    /// <summary>All urgencies, in the canonical order.</summary>
    public static IReadOnlyList<UrgencyType> Urgencies { get; } =
        [UrgencyType.Replacement, UrgencyType.Restriction, UrgencyType.None];

    /// <summary>Whether a goal type takes one of the eight goal values (explicit, latent, swap) rather than <c>none</c>.</summary>
    /// <param name="goalType">The goal type.</param>
    /// <returns><see langword="true"/> for explicit, latent and swap.</returns>
    public static bool TakesValue(this GoalType goalType) => goalType is GoalType.Explicit or GoalType.Latent or GoalType.Swap;

    /// <summary>The value opposed to this one (america and global, safety and acceleration, ...).</summary>
    /// <param name="goalValue">A real goal value.</param>
    /// <returns>The other value of its pair.</returns>
    /// <exception cref="ArgumentException"><paramref name="goalValue"/> is <see cref="GoalValue.None"/>.</exception>
    public static GoalValue Opposite(this GoalValue goalValue) => goalValue switch
    {
        GoalValue.America => GoalValue.Global,
        GoalValue.Global => GoalValue.America,
        GoalValue.Safety => GoalValue.Acceleration,
        GoalValue.Acceleration => GoalValue.Safety,
        GoalValue.Ethical => GoalValue.Pragmatic,
        GoalValue.Pragmatic => GoalValue.Ethical,
        GoalValue.Individualism => GoalValue.Collectivism,
        GoalValue.Collectivism => GoalValue.Individualism,
        _ => throw new ArgumentException("The goal value 'none' has no opposite.", nameof(goalValue)),
    };

    /// <summary>Parses a goal type's wire name.</summary>
    /// <param name="text">The name, e.g. <c>explicit</c>.</param>
    /// <param name="goalType">The goal type, when the name is known.</param>
    /// <returns>Whether the name is a goal type.</returns>
    public static bool TryParseGoalType(string? text, out GoalType goalType) => WireNames<GoalType>.TryParse(text, out goalType);

    /// <summary>Parses a goal value's wire name.</summary>
    /// <param name="text">The name, e.g. <c>america</c> or <c>none</c>.</param>
    /// <param name="goalValue">The goal value, when the name is known.</param>
    /// <returns>Whether the name is a goal value.</returns>
    public static bool TryParseGoalValue(string? text, out GoalValue goalValue) => WireNames<GoalValue>.TryParse(text, out goalValue);

    /// <summary>Parses an urgency's wire name.</summary>
    /// <param name="text">The name, e.g. <c>replacement</c>.</param>
    /// <param name="urgency">The urgency, when the name is known.</param>
    /// <returns>Whether the name is an urgency.</returns>
    public static bool TryParseUrgency(string? text, out UrgencyType urgency) => WireNames<UrgencyType>.TryParse(text, out urgency);

    /// <summary>Parses a goal type's wire name, or throws an error that lists the valid names.</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">Where the name came from, for the error message (e.g. <c>--goal-types</c>).</param>
    /// <returns>The goal type.</returns>
    public static GoalType ParseGoalType(string text, string where) =>
        TryParseGoalType(text, out var value) ? value : throw Unknown("goal type", text, ValidGoalTypes, where);

    /// <summary>Parses a goal value's wire name, or throws an error that lists the valid names.</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">Where the name came from, for the error message.</param>
    /// <returns>The goal value.</returns>
    public static GoalValue ParseGoalValue(string text, string where) =>
        TryParseGoalValue(text, out var value) ? value : throw Unknown("goal value", text, ValidGoalValues, where);

    /// <summary>Parses an urgency's wire name, or throws an error that lists the valid names.</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">Where the name came from, for the error message.</param>
    /// <returns>The urgency.</returns>
    public static UrgencyType ParseUrgency(string text, string where) =>
        TryParseUrgency(text, out var value) ? value : throw Unknown("urgency", text, ValidUrgencies, where);

    internal static string ValidGoalTypes => WireNames<GoalType>.List;

    internal static string ValidGoalValues => WireNames<GoalValue>.List;

    internal static string ValidUrgencies => WireNames<UrgencyType>.List;

    private static MisalignmentEvalException Unknown(string axis, string text, string names, string where) =>
        new($"{where}: unknown {axis} '{text}'; expected one of {names}.");

    /// <summary>Parses an action's wire name.</summary>
    /// <param name="text">The name.</param>
    /// <param name="kind">The action kind, when known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseAction(string? text, out ActionKind kind) => WireNames<ActionKind>.TryParse(text, out kind);
}
