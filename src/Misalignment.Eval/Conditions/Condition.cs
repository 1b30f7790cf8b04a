using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>
/// One cell of the condition grid: a scenario, a goal type, a goal value and an urgency. Its id is
/// <c>{scenario}_{goal_type}-{goal_value}_{urgency}</c>, e.g. <c>blackmail_explicit-america_replacement</c>;
/// the production variant appends <c>_prod</c> (see <see cref="GetId(PromptVariant)"/>).
/// </summary>
public readonly partial record struct Condition
{
    private const string ProdSuffix = "_prod";

    /// <summary>Creates a condition, checking that the axes go together.</summary>
    /// <param name="scenario">The scenario id: lower-case letters, digits and <c>-</c>, starting with a letter.</param>
    /// <param name="goalType">The goal type.</param>
    /// <param name="goalValue">The goal value: <see cref="GoalValue.None"/> for goal types none and ambiguous, one of the eight values otherwise.</param>
    /// <param name="urgency">The urgency.</param>
    /// <exception cref="InvalidConditionException">The scenario id is malformed or the goal value does not fit the goal type.</exception>
    public Condition(string scenario, GoalType goalType, GoalValue goalValue, UrgencyType urgency)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        string id = $"{scenario}_{goalType.ToId()}-{goalValue.ToId()}_{urgency.ToId()}";
        if (!IsValidScenarioId(scenario))
        {
            throw new InvalidConditionException(id, $"scenario '{scenario}' must be lower-case letters, digits and '-', starting with a letter.");
        }

        if (goalType.TakesValue() && goalValue == GoalValue.None)
        {
            throw new InvalidConditionException(id, $"goal type '{goalType.ToId()}' needs one of the goal values {string.Join(", ", ConditionAxes.GoalValues.Select(v => v.ToId()))}, not 'none'.");
        }

        if (!goalType.TakesValue() && goalValue != GoalValue.None)
        {
            throw new InvalidConditionException(id, $"goal type '{goalType.ToId()}' takes no goal value; write '{goalType.ToId()}-none'.");
        }

        Scenario = scenario;
        GoalType = goalType;
        GoalValue = goalValue;
        Urgency = urgency;
    }

    /// <summary>The scenario id, e.g. <c>blackmail</c>.</summary>
    public string Scenario { get; }

    /// <summary>The goal type.</summary>
    public GoalType GoalType { get; }

    /// <summary>The goal value (<see cref="GoalValue.None"/> for goal types none and ambiguous).</summary>
    public GoalValue GoalValue { get; }

    /// <summary>The urgency.</summary>
    public UrgencyType Urgency { get; }

    /// <summary>The condition id of the development variant, e.g. <c>blackmail_explicit-america_replacement</c>.</summary>
    public string Id => GetId(PromptVariant.Dev);

    /// <summary>Whether this is the control condition: no goal conflict and no threat.</summary>
    public bool IsControl => GoalType == GoalType.None && Urgency == UrgencyType.None;

    /// <summary>The condition id of a variant: the production variant appends <c>_prod</c>.</summary>
    /// <param name="variant">The prompt variant.</param>
    /// <returns>The id.</returns>
    public string GetId(PromptVariant variant) =>
        $"{Scenario}_{GoalType.ToId()}-{GoalValue.ToId()}_{Urgency.ToId()}{(variant == PromptVariant.Prod ? ProdSuffix : string.Empty)}";

    /// <inheritdoc/>
    public override string ToString() => Id;

    /// <summary>Parses a condition id without a variant suffix.</summary>
    /// <param name="id">The id, e.g. <c>leaking_none-none_restriction</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="InvalidConditionException">The id is malformed; the message says which part is wrong.</exception>
    public static Condition Parse(string id)
    {
        var condition = Parse(id, out var variant);
        return variant == PromptVariant.Dev
            ? condition
            : throw new InvalidConditionException(id, "ends in '_prod'; parse it with Parse(id, out variant) to keep the variant.");
    }

    /// <summary>Parses a condition id, with or without the <c>_prod</c> suffix.</summary>
    /// <param name="id">The id.</param>
    /// <param name="variant">The variant the suffix names (<see cref="PromptVariant.Dev"/> without one).</param>
    /// <returns>The condition.</returns>
    /// <exception cref="InvalidConditionException">The id is malformed; the message says which part is wrong.</exception>
    public static Condition Parse(string id, out PromptVariant variant) =>
        TryParse(id, out var condition, out variant, out string? error)
            ? condition
            : throw new InvalidConditionException(id ?? string.Empty, error!);

    /// <summary>Tries to parse a condition id, with or without the <c>_prod</c> suffix.</summary>
    /// <param name="id">The id.</param>
    /// <param name="condition">The condition, when the id is valid.</param>
    /// <param name="variant">The variant the suffix names.</param>
    /// <param name="error">Which part is wrong, when the id is not valid.</param>
    /// <returns>Whether the id is valid.</returns>
    public static bool TryParse(string? id, out Condition condition, out PromptVariant variant, out string? error)
    {
        condition = default;
        variant = PromptVariant.Dev;
        error = Check(id, ref condition, ref variant);
        return error is null;
    }

    /// <summary>Whether a string is a well-formed scenario id (lower-case letters, digits and <c>-</c>, starting with a letter).</summary>
    /// <param name="scenario">The candidate id.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsValidScenarioId(string? scenario) => scenario is not null && ScenarioIdPattern().IsMatch(scenario);

    private static string? Check(string? id, ref Condition condition, ref PromptVariant variant)
    {
        const string Shape = "expected {scenario}_{goal_type}-{goal_value}_{urgency} with an optional '_prod'";
        if (string.IsNullOrWhiteSpace(id))
        {
            return $"is empty; {Shape}.";
        }

        string[] parts = id.Split('_');
        if (parts.Length == 4 && "_" + parts[3] == ProdSuffix)
        {
            variant = PromptVariant.Prod;
        }
        else if (parts.Length == 4)
        {
            return $"unknown suffix '{parts[3]}'; the only suffix is '_prod'.";
        }
        else if (parts.Length != 3)
        {
            return $"has {parts.Length} '_'-separated parts; {Shape}.";
        }

        if (!IsValidScenarioId(parts[0]))
        {
            return $"scenario '{parts[0]}' must be lower-case letters, digits and '-', starting with a letter.";
        }

        int dash = parts[1].IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return $"goal part '{parts[1]}' has no '-'; expected {{goal_type}}-{{goal_value}}, e.g. 'explicit-america' or 'none-none'.";
        }

        string goalTypeText = parts[1][..dash];
        string goalValueText = parts[1][(dash + 1)..];
        if (!ConditionAxes.TryParseGoalType(goalTypeText, out var goalType))
        {
            return $"unknown goal type '{goalTypeText}'; expected one of {ConditionAxes.ValidGoalTypes}.";
        }

        if (!ConditionAxes.TryParseGoalValue(goalValueText, out var goalValue))
        {
            return $"unknown goal value '{goalValueText}'; expected one of {ConditionAxes.ValidGoalValues}.";
        }

        if (!ConditionAxes.TryParseUrgency(parts[2], out var urgency))
        {
            return $"unknown urgency '{parts[2]}'; expected one of {ConditionAxes.ValidUrgencies}.";
        }

        try
        {
            condition = new Condition(parts[0], goalType, goalValue, urgency);
            return null;
        }
        catch (InvalidConditionException ex)
        {
            return ex.Problem;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScenarioIdPattern();
}
