
namespace Misalignment.Eval.Interop;

/// <summary>A scenario whose prompts are the fixed texts of an imported prompt set.</summary>
internal sealed class PromptSetScenario : IScenario
{
    private readonly Dictionary<string, ScenarioPrompt> _prompts;
    private readonly string _directory;

    public PromptSetScenario(string id, string directory, IReadOnlyList<ScenarioPrompt> prompts, ClassifierParameters parameters)
    {
        Id = id;
        _directory = directory;
        ClassifierParameters = parameters;
        _prompts = prompts.ToDictionary(p => p.ConditionId, p => p with { ClassifierParameters = parameters }, StringComparer.Ordinal);
        var conditions = prompts.Select(p => p.Condition).ToList();
        Axes = new ScenarioAxes
        {
            GoalTypes = [.. conditions.Select(c => c.GoalType).Distinct().Order()],
            GoalValues = [.. conditions.Select(c => c.GoalValue).Where(v => v != GoalValue.None).Distinct().Order()],
            Urgencies = [.. conditions.Select(c => c.Urgency).Distinct().Order()],
        };
    }

    public string Id { get; }

    public string DisplayName => $"{Id} (imported prompt set)";

    public string Description => $"The prompts of scenario '{Id}' imported from {_directory}.";

    public string Version => "imported";

    public ScenarioAxes Axes { get; }

    public ClassifierParameters ClassifierParameters { get; }

    public ScenarioPrompt Render(Condition condition, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string id = condition.GetId(options.Variant);
        if (options.ToolMode == ToolMode.Native && !options.InboxTools)
        {
            throw new InvalidConditionException(id, "an imported prompt set holds text-mode prompts only; native tool mode is not available for it (the inbox through tools is).");
        }

        // With the inbox through tools, the imported system prompt is kept as it is (its text protocol still counts);
        // the catalog adds the action and inbox tools and the user message gives the inbox notice instead of the emails.
        return _prompts.TryGetValue(id, out var prompt)
            ? options.InboxTools ? prompt with { Options = prompt.Options with { InboxTools = true, MaxSteps = options.MaxSteps } } : prompt
            : throw new InvalidConditionException(id, $"is not in the prompt set at {_directory}.");
    }
}
