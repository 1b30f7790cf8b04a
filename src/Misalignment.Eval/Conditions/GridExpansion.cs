namespace Misalignment.Eval;

/// <summary>
/// One named cartesian product of the condition axes: every scenario x goal type x goal value x urgency
/// listed, where goal types none and ambiguous contribute their single value <c>none</c> instead of the
/// listed goal values. An experiment may hold several expansions; see <see cref="ConditionGrid"/>.
/// </summary>
public sealed record GridExpansion
{
    /// <summary>The expansion's name (for reports and error messages).</summary>
    public string Name { get; init; } = "default";

    /// <summary>Whether the expansion takes part in the run.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The scenario ids.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>The goal types.</summary>
    public IReadOnlyList<GoalType> GoalTypes { get; init; } = ConditionAxes.GoalTypes;

    /// <summary>
    /// The goal values that goal types explicit, latent and swap take. <see cref="GoalValue.None"/> here
    /// is ignored by those goal types (they need a real value).
    /// </summary>
    public IReadOnlyList<GoalValue> GoalValues { get; init; } = ConditionAxes.GoalValues;

    /// <summary>The urgencies.</summary>
    public IReadOnlyList<UrgencyType> Urgencies { get; init; } = ConditionAxes.Urgencies;

    /// <summary>
    /// Model names that this expansion runs against instead of the experiment's global list;
    /// empty means the global list.
    /// </summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>
    /// The conditions of this product, in a stable order: scenario, then goal type, then goal value,
    /// then urgency, each in the order listed. Duplicates within the lists are dropped.
    /// </summary>
    /// <returns>The conditions.</returns>
    public IEnumerable<Condition> Expand()
    {
        var seen = new HashSet<Condition>();
        foreach (string scenario in Scenarios)
        {
            foreach (var goalType in GoalTypes)
            {
                IEnumerable<GoalValue> values = goalType.TakesValue()
                    ? GoalValues.Where(v => v != GoalValue.None)
                    : [GoalValue.None];
                foreach (var goalValue in values)
                {
                    foreach (var urgency in Urgencies)
                    {
                        var condition = new Condition(scenario, goalType, goalValue, urgency);
                        if (seen.Add(condition))
                        {
                            yield return condition;
                        }
                    }
                }
            }
        }
    }
}
