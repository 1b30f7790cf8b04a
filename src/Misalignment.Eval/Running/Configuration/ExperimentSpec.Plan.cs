namespace Misalignment.Eval.Running;

/// <summary>The per-model plan of an experiment, and checks that need to know the scenarios on offer.</summary>
public sealed partial record ExperimentSpec
{
    /// <summary>
    /// The plan per model: each enabled expansion's conditions go to that expansion's models (its own
    /// <c>models</c>, or the experiment's <see cref="Models"/>); a model named by several expansions runs the
    /// de-duplicated union of their conditions. Models come in the order they are first named.
    /// </summary>
    /// <param name="defaultModels">
    /// The models of expansions that name none of their own, instead of <see cref="Models"/> (e.g. models given on
    /// the command line); <see langword="null"/> for <see cref="Models"/>.
    /// </param>
    /// <param name="adjust">A change applied to each expansion before it is expanded (e.g. command-line axis flags).</param>
    /// <returns>One entry per model; empty when no enabled expansion has a model (or there are no expansions).</returns>
    internal IReadOnlyList<ModelPlan> PlanByModel(IReadOnlyList<string>? defaultModels = null, Func<GridExpansion, GridExpansion>? adjust = null)
    {
        var plans = new Dictionary<string, (List<Condition> List, HashSet<Condition> Seen)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var original in Expansions.Where(e => e.Enabled))
        {
            var expansion = adjust?.Invoke(original) ?? original;
            var models = expansion.Models.Count > 0 ? expansion.Models : defaultModels ?? Models;
            var conditions = expansion.Expand().ToList();
            foreach (string model in models)
            {
                if (!plans.TryGetValue(model, out var plan))
                {
                    plans[model] = plan = ([], []);
                    order.Add(model);
                }

                plan.List.AddRange(conditions.Where(plan.Seen.Add));
            }
        }

        return [.. order.Select(m => new ModelPlan(m, plans[m].List))];
    }

    /// <summary>Whether every model of <see cref="PlanByModel"/> runs the same conditions (so one grid serves all models).</summary>
    /// <param name="plan">A plan from <see cref="PlanByModel"/>.</param>
    /// <returns><see langword="true"/> when the plan is one grid for all its models.</returns>
    internal static bool IsRectangular(IReadOnlyList<ModelPlan> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Count == 0 || plan.All(p => p.Conditions.Count == plan[0].Conditions.Count && p.Conditions.ToHashSet().SetEquals(plan[0].Conditions));
    }

    /// <summary>Where a loaded value was written, by its key path (e.g. <c>expansions[0].variables.scenarios[1]</c>).</summary>
    /// <param name="key">The key path; list items by index even when the file wrote a single value for a list of one.</param>
    /// <returns>The location, or <see langword="null"/> when the spec was not loaded from a file or has no such key.</returns>
    internal ConfigLocation? LocationOf(string key) => Locations.GetValueOrDefault(key);

    /// <summary>Checks that every scenario that the expansions name is one of <paramref name="knownScenarios"/>.</summary>
    /// <param name="knownScenarios">The scenario ids on offer (e.g. a catalog's ids).</param>
    /// <exception cref="ConfigurationException">An expansion names an unknown scenario; the message names file, line and key.</exception>
    /// <exception cref="MisalignmentEvalException">The same, for a spec built in code (no file to name).</exception>
    internal void EnsureScenariosKnown(IEnumerable<string> knownScenarios)
    {
        ArgumentNullException.ThrowIfNull(knownScenarios);
        var known = knownScenarios.ToList();
        for (int i = 0; i < Expansions.Count; i++)
        {
            for (int j = 0; j < Expansions[i].Scenarios.Count; j++)
            {
                string scenario = Expansions[i].Scenarios[j];
                if (!known.Contains(scenario, StringComparer.Ordinal))
                {
                    string problem = $"unknown scenario '{scenario}'; known scenarios: {string.Join(", ", known)}.";
                    throw LocationOf($"expansions[{i}].variables.scenarios[{j}]")?.Error(problem)
                        ?? new MisalignmentEvalException($"Expansion '{Expansions[i].Name}': {problem}");
                }
            }
        }
    }
}
