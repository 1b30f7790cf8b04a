namespace Misalignment.Eval.Running;

/// <summary>Binds <c>expansions</c>: each a named product of the condition axes, optionally with its own models.</summary>
internal static class ExpansionBinder
{
    private static readonly string[] Axes = ["goal_types", "goal_values", "urgency_types"];

    public static List<GridExpansion> Expansions(ConfigBinder b, ConfigNode node, Dictionary<string, ConfigLocation> locations)
    {
        var result = new List<GridExpansion>();
        foreach (var item in ConfigBinder.Items(node, "a list of expansions"))
        {
            if (item is not ConfigMapping)
            {
                throw item.Error($"expected an expansion (a mapping with 'name' and 'variables'), found {ConfigBinder.Describe(item)}.");
            }

            var expansion = new GridExpansion { Name = $"expansion {result.Count + 1}" };
            ConfigNode? variables = null;
            b.Each(item, new Dictionary<string, Action<ConfigNode>>
            {
                ["name"] = n => expansion = expansion with { Name = ConfigBinder.RequiredString(n) },
                ["description"] = n => ConfigBinder.String(n),
                ["enabled"] = n => expansion = expansion with { Enabled = ConfigBinder.Bool(n) },
                ["models"] = n => (expansion, locations[n.Path]) = (expansion with { Models = ExperimentSpecBinder.Models(n, locations) }, Location(n)),
                ["variables"] = n => variables = n,
            });
            if (variables is null)
            {
                throw item.Error($"expansion '{expansion.Name}' has no 'variables'.");
            }

            locations[item.Path] = Location(item);
            result.Add(Variables(b, expansion, variables, locations));
        }

        return result;
    }

    private static GridExpansion Variables(ConfigBinder b, GridExpansion expansion, ConfigNode variables, Dictionary<string, ConfigLocation> locations)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        b.Each(variables, new Dictionary<string, Action<ConfigNode>>
        {
            ["scenarios"] = n => expansion = expansion with { Scenarios = Scenarios(n, locations) },
            ["goal_types"] = n => expansion = expansion with { GoalTypes = ConfigBinder.List<GoalType>(n, ConditionAxes.TryParseGoalType, "goal type", ConditionAxes.ValidGoalTypes) },
            ["goal_values"] = n => expansion = expansion with { GoalValues = ConfigBinder.List<GoalValue>(n, ConditionAxes.TryParseGoalValue, "goal value", ConditionAxes.ValidGoalValues) },
            ["urgency_types"] = n => expansion = expansion with { Urgencies = ConfigBinder.List<UrgencyType>(n, ConditionAxes.TryParseUrgency, "urgency", ConditionAxes.ValidUrgencies) },
        }.ToDictionary(h => h.Key, h => (Action<ConfigNode>)(n => { given.Add(h.Key); h.Value(n); })));

        if (expansion.Scenarios.Count == 0)
        {
            throw variables.Error($"expansion '{expansion.Name}' lists no scenarios.");
        }

        foreach (string axis in Axes.Where(a => !given.Contains(a)))
        {
            b.Warn(variables, $"key '{variables.Path}': expansion '{expansion.Name}' lists no '{axis}', so it takes every value; the reference implementation would take none from this expansion.");
        }

        if (expansion.Enabled && ConditionGrid.Count(expansion) == 0)
        {
            throw variables.Error($"expansion '{expansion.Name}' has no conditions: {ConditionGrid.EmptyReason(expansion)}");
        }

        return expansion;
    }

    private static List<string> Scenarios(ConfigNode node, Dictionary<string, ConfigLocation> locations)
    {
        var items = ConfigBinder.Items(node, "a list of scenario ids");
        var names = new List<string>();
        foreach (var item in items)
        {
            string name = ConfigBinder.RequiredString(item);
            if (!Condition.IsValidScenarioId(name))
            {
                throw item.Error($"scenario '{ConfigBinder.Shorten(name)}' must be lower-case letters, digits and '-', starting with a letter.");
            }

            locations[$"{node.Path}[{names.Count}]"] = Location(item);
            names.Add(name);
        }

        return names;
    }

    private static ConfigLocation Location(ConfigNode node) => new(node.File, node.Line, node.Path);
}
