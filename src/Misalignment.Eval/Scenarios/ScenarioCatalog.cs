
namespace Misalignment.Eval.Scenarios;

/// <summary>
/// The scenarios a run can use, by id: the built-in ones, user scenario packs, code-defined scenarios
/// and imported prompt sets. Later additions replace earlier ones with the same id.
/// </summary>
public sealed class ScenarioCatalog
{
    private readonly Dictionary<string, IScenario> _scenarios = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Creates a catalog holding the given scenarios.</summary>
    /// <param name="scenarios">The scenarios.</param>
    public ScenarioCatalog(IEnumerable<IScenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        foreach (var scenario in scenarios)
        {
            Add(scenario);
        }
    }

    /// <summary>A new catalog holding the library's built-in scenarios (blackmail, leaking, murder).</summary>
    /// <returns>The catalog.</returns>
    public static ScenarioCatalog CreateBuiltIn() => new(BuiltInScenarios.All);

    /// <summary>The scenarios, in the order they were added.</summary>
    public IReadOnlyList<IScenario> Scenarios => [.. _order.Select(id => _scenarios[id])];

    /// <summary>The scenario ids, in the order they were added.</summary>
    public IReadOnlyList<string> Ids => _order;

    /// <summary>Adds a scenario, replacing one with the same id.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <returns>This catalog.</returns>
    public ScenarioCatalog Add(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!Condition.IsValidScenarioId(scenario.Id))
        {
            throw new MisalignmentEvalException($"Scenario id '{scenario.Id}' must be lower-case letters, digits and '-', starting with a letter.");
        }

        if (!_scenarios.ContainsKey(scenario.Id))
        {
            _order.Add(scenario.Id);
        }

        _scenarios[scenario.Id] = scenario;
        return this;
    }

    /// <summary>The expansions of the given scenarios (all by default), each over its own axes: the full grid of each.</summary>
    /// <param name="ids">The scenario ids, or <see langword="null"/> for every scenario in the catalog.</param>
    /// <returns>One expansion per scenario.</returns>
    internal IReadOnlyList<GridExpansion> OwnGrids(IEnumerable<string>? ids = null) =>
        [.. (ids?.Select(Get) ?? Scenarios).Select(s => new GridExpansion { Name = s.Id, Scenarios = [s.Id], GoalTypes = s.Axes.GoalTypes, GoalValues = s.Axes.GoalValues, Urgencies = s.Axes.Urgencies })];

    /// <summary>Finds a scenario by id.</summary>
    /// <param name="id">The scenario id.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="MisalignmentEvalException">No scenario has that id; the message lists the known ones.</exception>
    public IScenario Get(string id) =>
        _scenarios.TryGetValue(id, out var scenario)
            ? scenario
            : throw new MisalignmentEvalException($"Unknown scenario '{id}'; known scenarios: {(_order.Count == 0 ? "(none)" : string.Join(", ", _order))}.");

    /// <summary>Renders a condition with the scenario it names.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="options">The render options; <see cref="RenderOptions.Default"/> when null.</param>
    /// <returns>The prompts.</returns>
    /// <remarks>With <see cref="RenderOptions.InboxTools"/>, the prompt is also given the inbox tools (and the action tools, when the scenario declared none).</remarks>
    public ScenarioPrompt Render(Condition condition, RenderOptions? options = null)
    {
        var prompt = Get(condition.Scenario).Render(condition, options ?? RenderOptions.Default);
        return prompt.Options.InboxTools ? AgentTools.WithInboxTools(prompt) : prompt;
    }

    /// <summary>Checks that every condition names a known scenario that supports its axes.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <exception cref="MisalignmentEvalException">The first condition that does not fit, named.</exception>
    public void EnsureSupported(IEnumerable<Condition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        foreach (var condition in conditions)
        {
            if (Get(condition.Scenario).Axes.WhyUnsupported(condition) is { } why)
            {
                throw new InvalidConditionException(condition.Id, $"{why} by scenario '{condition.Scenario}'.");
            }
        }
    }
}
