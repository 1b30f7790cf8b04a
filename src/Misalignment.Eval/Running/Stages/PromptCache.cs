using System.Collections.Concurrent;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>Renders each (condition, variant) once per run; every sample of it shares the prompt.</summary>
internal sealed class PromptCache(ScenarioCatalog catalog, RenderOptions render)
{
    private readonly ConcurrentDictionary<(Condition, PromptVariant), Lazy<ScenarioPrompt>> _prompts = new();

    public ScenarioPrompt Get(Condition condition, PromptVariant variant) =>
        _prompts.GetOrAdd((condition, variant), key => new Lazy<ScenarioPrompt>(() => catalog.Render(key.Item1, render with { Variant = key.Item2 }))).Value;
}
