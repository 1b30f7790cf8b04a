namespace Misalignment.Eval;

/// <summary>
/// The wire names of the condition axes (as used in condition ids, configuration files and prompt sets),
/// their parsing, and the relations between values.
/// </summary>
internal static class ConditionAxes
{
    private static readonly string[] GoalTypeIds = ["explicit", "latent", "swap", "ambiguous", "none"];
    private static readonly string[] GoalValueIds =
        ["none", "america", "global", "safety", "acceleration", "ethical", "pragmatic", "individualism", "collectivism"];
    private static readonly string[] UrgencyIds = ["replacement", "restriction", "none"];

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

    /// <summary>The wire name of a goal type, e.g. <c>explicit</c>.</summary>
    /// <param name="goalType">The goal type.</param>
    /// <returns>The lower-case name used in condition ids.</returns>
    public static string ToId(this GoalType goalType) => GoalTypeIds[(int)goalType];

    /// <summary>The wire name of a goal value, e.g. <c>america</c>.</summary>
    /// <param name="goalValue">The goal value.</param>
    /// <returns>The lower-case name used in condition ids.</returns>
    public static string ToId(this GoalValue goalValue) => GoalValueIds[(int)goalValue];

    /// <summary>The wire name of an urgency, e.g. <c>replacement</c>.</summary>
    /// <param name="urgency">The urgency.</param>
    /// <returns>The lower-case name used in condition ids.</returns>
    public static string ToId(this UrgencyType urgency) => UrgencyIds[(int)urgency];

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
    public static bool TryParseGoalType(string? text, out GoalType goalType) => TryParse(text, GoalTypeIds, out goalType);

    /// <summary>Parses a goal value's wire name.</summary>
    /// <param name="text">The name, e.g. <c>america</c> or <c>none</c>.</param>
    /// <param name="goalValue">The goal value, when the name is known.</param>
    /// <returns>Whether the name is a goal value.</returns>
    public static bool TryParseGoalValue(string? text, out GoalValue goalValue) => TryParse(text, GoalValueIds, out goalValue);

    /// <summary>Parses an urgency's wire name.</summary>
    /// <param name="text">The name, e.g. <c>replacement</c>.</param>
    /// <param name="urgency">The urgency, when the name is known.</param>
    /// <returns>Whether the name is an urgency.</returns>
    public static bool TryParseUrgency(string? text, out UrgencyType urgency) => TryParse(text, UrgencyIds, out urgency);

    /// <summary>Parses a goal type's wire name, or throws an error that lists the valid names.</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">Where the name came from, for the error message (e.g. <c>--goal-types</c>).</param>
    /// <returns>The goal type.</returns>
    public static GoalType ParseGoalType(string text, string where) =>
        TryParseGoalType(text, out var value) ? value : throw Unknown("goal type", text, GoalTypeIds, where);

    /// <summary>Parses a goal value's wire name, or throws an error that lists the valid names.</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">Where the name came from, for the error message.</param>
    /// <returns>The goal value.</returns>
    public static GoalValue ParseGoalValue(string text, string where) =>
        TryParseGoalValue(text, out var value) ? value : throw Unknown("goal value", text, GoalValueIds, where);

    /// <summary>Parses an urgency's wire name, or throws an error that lists the valid names.</summary>
    /// <param name="text">The name.</param>
    /// <param name="where">Where the name came from, for the error message.</param>
    /// <returns>The urgency.</returns>
    public static UrgencyType ParseUrgency(string text, string where) =>
        TryParseUrgency(text, out var value) ? value : throw Unknown("urgency", text, UrgencyIds, where);

    internal static string ValidGoalTypes => string.Join(", ", GoalTypeIds);

    internal static string ValidGoalValues => string.Join(", ", GoalValueIds);

    internal static string ValidUrgencies => string.Join(", ", UrgencyIds);

    private static bool TryParse<T>(string? text, string[] names, out T value)
        where T : struct, Enum
    {
        int index = text is null ? -1 : Array.IndexOf(names, text);
        value = index < 0 ? default : (T)(object)index;
        return index >= 0;
    }

    private static MisalignmentEvalException Unknown(string axis, string text, string[] names, string where) =>
        new($"{where}: unknown {axis} '{text}'; expected one of {string.Join(", ", names)}.");

    /// <summary>The wire name of an action kind in scenario manifests: <c>email</c>, <c>forward</c> or <c>cancel_alert</c>.</summary>
    /// <param name="kind">The action kind.</param>
    /// <returns>The wire name.</returns>
    public static string ToId(this ActionKind kind) => kind switch
    {
        ActionKind.Email => "email",
        ActionKind.Forward => "forward",
        _ => "cancel_alert",
    };

    /// <summary>Parses an action's wire name.</summary>
    /// <param name="text">The name.</param>
    /// <param name="kind">The action kind, when known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseAction(string? text, out ActionKind kind)
    {
        (bool known, kind) = text switch
        {
            "email" => (true, ActionKind.Email),
            "forward" => (true, ActionKind.Forward),
            "cancel_alert" => (true, ActionKind.CancelAlert),
            _ => (false, ActionKind.Email),
        };
        return known;
    }
}
