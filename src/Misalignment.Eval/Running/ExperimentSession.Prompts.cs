namespace Misalignment.Eval.Running;

/// <summary>The prompts file beside the store: what each condition was sent, once per distinct prompt.</summary>
public sealed partial class ExperimentSession
{
    /// <summary>
    /// Writes the store's prompts sidecar (<see cref="PromptSidecar"/>): each distinct (condition, variant, tool mode) of the
    /// store's samples rendered once, as the runner's prompt cache renders it, and kept only when its hash is the one the samples
    /// recorded (a prompt this session cannot reproduce is left out, and the report says it is not stored).
    /// </summary>
    private void WritePrompts(string storePath)
    {
        var wanted = ResultReader.ReadSamples(storePath)
            .Where(s => s.PromptHash is not null)
            .Select(s => (s.ConditionId, s.ToolMode, Hash: s.PromptHash!))
            .Distinct()
            .ToList();
        PromptSidecar.Write(storePath, wanted.Select(Render).OfType<StoredPrompt>());

        StoredPrompt? Render((string ConditionId, ToolMode ToolMode, string Hash) key)
        {
            try
            {
                var condition = Condition.Parse(key.ConditionId, out var variant);
                var prompt = _options.Scenarios.Render(condition, Spec.Render with { Variant = variant, ToolMode = key.ToolMode });
                return prompt.ContentHash == key.Hash
                    ? new StoredPrompt { Hash = key.Hash, ConditionId = key.ConditionId, SystemPrompt = prompt.SystemPrompt, UserMessage = prompt.UserMessage }
                    : null;
            }
            catch (MisalignmentEvalException)
            {
                return null;
            }
        }
    }
}
