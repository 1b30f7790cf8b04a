
namespace Misalignment.Eval;

/// <summary>The values of each condition axis that a scenario supports.</summary>
public sealed record ScenarioAxes
{
    /// <summary>Every goal type, goal value and urgency.</summary>
    public static ScenarioAxes All { get; } = new();

    /// <summary>The supported goal types.</summary>
    public IReadOnlyList<GoalType> GoalTypes { get; init; } = ConditionAxes.GoalTypes;

    /// <summary>The supported goal values (for goal types explicit, latent and swap).</summary>
    public IReadOnlyList<GoalValue> GoalValues { get; init; } = ConditionAxes.GoalValues;

    /// <summary>The supported urgencies.</summary>
    public IReadOnlyList<UrgencyType> Urgencies { get; init; } = ConditionAxes.Urgencies;

    /// <summary>Why a condition's axes are not supported, or <see langword="null"/> when they are.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>A sentence naming the unsupported axis value, or <see langword="null"/>.</returns>
    public string? WhyUnsupported(Condition condition)
    {
        if (!GoalTypes.Contains(condition.GoalType))
        {
            return $"goal type '{condition.GoalType.ToId()}' is not supported";
        }

        if (condition.GoalType.TakesValue() && !GoalValues.Contains(condition.GoalValue))
        {
            return $"goal value '{condition.GoalValue.ToId()}' is not supported";
        }

        return Urgencies.Contains(condition.Urgency) ? null : $"urgency '{condition.Urgency.ToId()}' is not supported";
    }
}
