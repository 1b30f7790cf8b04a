namespace Misalignment.Eval;

/// <summary>
/// Expands an experiment's expansions into its conditions. Each enabled expansion is its own cartesian
/// product, and the grid is their union with duplicates removed, in a stable order (expansion order,
/// then each expansion's own order). The reference implementation instead merges all expansions into one
/// product, which adds combinations that no expansion asked for; this does not.
/// </summary>
public static class ConditionGrid
{
    /// <summary>The full grid of the design: every axis value of every given scenario.</summary>
    /// <param name="scenarios">The scenario ids.</param>
    /// <returns>The conditions (234 for the three built-in scenarios).</returns>
    public static IReadOnlyList<Condition> Full(IEnumerable<string> scenarios) =>
        Expand([new GridExpansion { Name = "full", Scenarios = [.. scenarios] }]);

    /// <summary>The de-duplicated union of the enabled expansions' products.</summary>
    /// <param name="expansions">The expansions.</param>
    /// <returns>The conditions, in a stable order.</returns>
    public static IReadOnlyList<Condition> Expand(IEnumerable<GridExpansion> expansions)
    {
        ArgumentNullException.ThrowIfNull(expansions);
        var seen = new HashSet<Condition>();
        var result = new List<Condition>();
        foreach (var expansion in expansions.Where(e => e.Enabled))
        {
            result.AddRange(expansion.Expand().Where(seen.Add));
        }

        return result;
    }

    /// <summary>The number of conditions of one product, without expanding it.</summary>
    /// <param name="expansion">The expansion.</param>
    /// <returns>scenarios x urgencies x (sum over goal types of 1 for none/ambiguous, else the number of goal values).</returns>
    public static int Count(GridExpansion expansion)
    {
        ArgumentNullException.ThrowIfNull(expansion);
        int values = expansion.GoalValues.Where(v => v != GoalValue.None).Distinct().Count();
        int perUrgency = expansion.GoalTypes.Distinct().Sum(t => t.TakesValue() ? values : 1);
        return expansion.Scenarios.Distinct().Count() * expansion.Urgencies.Distinct().Count() * perUrgency;
    }

    /// <summary>Why an expansion has no conditions, in the configuration's words, or <see langword="null"/> when it has some.</summary>
    /// <param name="expansion">The expansion.</param>
    /// <returns>The reason, e.g. <c>'urgency_types' is empty.</c>, or <see langword="null"/>.</returns>
    public static string? EmptyReason(GridExpansion expansion) =>
        Count(expansion) > 0 ? null
        : expansion.Scenarios.Count == 0 ? "'scenarios' is empty."
        : expansion.GoalTypes.Count == 0 ? "'goal_types' is empty."
        : expansion.Urgencies.Count == 0 ? "'urgency_types' is empty."
        : "goal types explicit, latent and swap need a goal value other than 'none'.";
}
