namespace Misalignment.Eval.Running;

/// <summary>
/// At the start of a (resumed) run: judges the samples the store holds without their verdict. With a batched judge
/// they go in judge batches, and a call a killed run had already submitted attaches to its recorded batch.
/// </summary>
internal sealed class PendingVerdicts(RunDefinition run, SampleClassifier classifier, PromptCache prompts)
{
    public async Task<int> JudgeAsync(IResultSink sink, CancellationToken cancellationToken)
    {
        if (!run.Options.Classify || sink is InMemoryResultSink { Count: 0 })
        {
            return 0;
        }

        var models = run.Models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var pass = new VerdictPass(classifier, PromptOf, run.Options.Policy, run.Options.JudgeSlots);
        var result = await pass.RunAsync(sink, s => models.Contains(s.Model) && VerdictPass.NeedsVerdict(s, classifier), cancellationToken).ConfigureAwait(false);
        return result.Classified;
    }

    private ScenarioPrompt? PromptOf(SampleRecord sample)
    {
        if (!Condition.TryParse(sample.ConditionId, out var condition, out var variant, out _))
        {
            return null;
        }

        var prompt = prompts.Get(condition, variant);
        return sample.PromptHash is null || prompt.ContentHash == sample.PromptHash ? prompt : null;
    }
}
