using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>What a run samples: the scenarios, the conditions (the union), the models (each with its own conditions, or all), and how.</summary>
internal sealed record RunDefinition(ScenarioCatalog Catalog, IReadOnlyList<Condition> Conditions, IReadOnlyList<ModelUnderTest> Models, RunOptions Options)
{
    public IReadOnlyList<Condition> ConditionsOf(ModelUnderTest model) => model.Conditions ?? Conditions;

    /// <summary>
    /// The work of one model in order (sample index, then condition), its shard only; with
    /// <see cref="RunOptions.CacheBlocks"/>, in blocks of twice the model's concurrency in conditions, so that its
    /// workers come back to a condition while the provider still caches its prompt.
    /// </summary>
    public IEnumerable<WorkItem> Plan(ModelUnderTest model) =>
        RunPlan.Items([model.Name], ConditionsOf(model), Options.Render.Variant, Options.SamplesPerCondition, Options.Shard,
            Options.CacheBlocks ? 2 * Math.Max(1, Options.ModelConcurrency.GetValueOrDefault(model.Name, Options.Concurrency)) : null);

    /// <summary>The whole plan: sample index, then condition, then model.</summary>
    public IEnumerable<WorkItem> Plan()
    {
        for (int sample = 1; sample <= Options.SamplesPerCondition; sample++)
        {
            foreach (var condition in Conditions)
            {
                foreach (var model in Models)
                {
                    if (model.Conditions is { } own && !own.Contains(condition))
                    {
                        continue;
                    }

                    var item = new WorkItem(model.Name, condition, Options.Render.Variant, sample);
                    if (Options.Shard is not { } shard || shard.Contains(item.Key))
                    {
                        yield return item;
                    }
                }
            }
        }
    }
}
