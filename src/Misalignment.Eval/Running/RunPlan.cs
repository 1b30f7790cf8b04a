
namespace Misalignment.Eval.Running;

/// <summary>
/// The work of a run in a deterministic order: sample index, then condition, then model, so that an interrupted run
/// has every condition and model covered evenly. With blocks, the conditions go a block at a time, each block in that
/// order: a condition's samples then come back within a few calls of each other, inside a provider's prompt-cache
/// window, however many conditions the run has. A shard keeps only its slice.
/// </summary>
internal static class RunPlan
{
    /// <summary>The work items.</summary>
    /// <param name="models">The model names.</param>
    /// <param name="conditions">The conditions.</param>
    /// <param name="variant">The prompt variant.</param>
    /// <param name="samplesPerCondition">Samples per (model, condition).</param>
    /// <param name="shard">A shard, or <see langword="null"/> for all the work.</param>
    /// <param name="block">Conditions per block (at least 1), or <see langword="null"/> for one block of them all.</param>
    /// <returns>The items.</returns>
    public static IEnumerable<WorkItem> Items(IReadOnlyList<string> models, IReadOnlyList<Condition> conditions, PromptVariant variant, int samplesPerCondition, Shard? shard = null, int? block = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(conditions);
        int size = Math.Max(1, Math.Min(block ?? conditions.Count, conditions.Count));
        for (int first = 0; first < conditions.Count; first += size)
        {
            for (int sample = 1; sample <= samplesPerCondition; sample++)
            {
                for (int c = first; c < Math.Min(first + size, conditions.Count); c++)
                {
                    foreach (string model in models)
                    {
                        var item = new WorkItem(model, conditions[c], variant, sample);
                        if (shard is not { } s || s.Contains(item.Key))
                        {
                            yield return item;
                        }
                    }
                }
            }
        }
    }
}
