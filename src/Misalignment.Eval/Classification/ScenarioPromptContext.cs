
namespace Misalignment.Eval.Classification;

/// <summary>Passes the <see cref="ScenarioPrompt"/> a response answered to a <see cref="ClassifierEvaluator"/>.</summary>
internal sealed class ScenarioPromptContext : Microsoft.Extensions.AI.Evaluation.EvaluationContext
{
    /// <summary>The context's name.</summary>
    public const string ContextName = "Scenario prompt";

    /// <summary>Creates the context.</summary>
    /// <param name="prompt">The prompt.</param>
    public ScenarioPromptContext(ScenarioPrompt prompt)
        : base(ContextName, prompt?.ConditionId ?? throw new ArgumentNullException(nameof(prompt)))
    {
        Prompt = prompt;
    }

    /// <summary>The prompt.</summary>
    public ScenarioPrompt Prompt { get; }
}
