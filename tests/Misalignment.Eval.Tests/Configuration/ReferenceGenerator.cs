using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Configuration;

/// <summary>
/// What the reference implementation's prompt generator derives from a configuration, re-stated here as the tests'
/// model of it: the values of every enabled expansion are merged (as sorted sets) into ONE cartesian product;
/// goal types none and ambiguous take the single value none, the others take every merged value, "none" included.
/// Valid for files that list every axis in each expansion (the reference takes a missing axis as empty).
/// </summary>
internal static class ReferenceGenerator
{
    public static IReadOnlyList<string> ConditionIds(ExperimentSpec spec)
    {
        var enabled = spec.Expansions.Where(e => e.Enabled).ToList();
        var scenarios = enabled.SelectMany(e => e.Scenarios).Distinct().Order(StringComparer.Ordinal).ToList();
        var goalTypes = enabled.SelectMany(e => e.GoalTypes).Select(t => t.ToId()).Distinct().Order(StringComparer.Ordinal).ToList();
        var goalValues = enabled.SelectMany(e => e.GoalValues).Select(v => v.ToId()).Distinct().Order(StringComparer.Ordinal).ToList();
        var urgencies = enabled.SelectMany(e => e.Urgencies).Select(u => u.ToId()).Distinct().Order(StringComparer.Ordinal).ToList();
        var ids = new List<string>();
        foreach (string scenario in scenarios)
        {
            foreach (string goalType in goalTypes)
            {
                foreach (string goalValue in goalType is "none" or "ambiguous" ? ["none"] : goalValues)
                {
                    ids.AddRange(urgencies.Select(urgency => $"{scenario}_{goalType}-{goalValue}_{urgency}"));
                }
            }
        }

        return ids;
    }
}
