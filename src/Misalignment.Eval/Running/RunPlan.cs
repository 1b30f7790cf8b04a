
namespace Misalignment.Eval.Running;

/// <summary>
/// The work of a run in a deterministic order: sample index, then condition, then model, so that an interrupted run
/// has every condition and model covered evenly. A shard keeps only its slice.
/// </summary>
internal static class RunPlan
{
    /// <summary>The work items.</summary>
    /// <param name="models">The model names.</param>
    /// <param name="conditions">The conditions.</param>
    /// <param name="variant">The prompt variant.</param>
    /// <param name="samplesPerCondition">Samples per (model, condition).</param>
    /// <param name="shard">A shard, or <see langword="null"/> for all the work.</param>
    /// <returns>The items.</returns>
    public static IEnumerable<WorkItem> Items(IReadOnlyList<string> models, IReadOnlyList<Condition> conditions, PromptVariant variant, int samplesPerCondition, Shard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(conditions);
        for (int sample = 1; sample <= samplesPerCondition; sample++)
        {
            foreach (var condition in conditions)
            {
                foreach (string model in models)
                {
                    var item = new WorkItem(model, condition, variant, sample);
                    if (shard is not { } s || s.Contains(item.Key))
                    {
                        yield return item;
                    }
                }
            }
        }
    }
}
