using System.Globalization;

namespace Misalignment.Eval.Running;

/// <summary>One unit of work: a sample of a condition (in a variant) for a model.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Condition">The condition.</param>
/// <param name="Variant">The prompt variant.</param>
/// <param name="SampleIndex">The 1-based sample index.</param>
internal sealed record WorkItem(string Model, Condition Condition, PromptVariant Variant, int SampleIndex)
{
    /// <summary>The condition id with the variant suffix.</summary>
    public string ConditionId => Condition.GetId(Variant);

    /// <summary>The stable key: <c>{model}|{conditionId}|{sampleIndex}</c>.</summary>
    public string Key => $"{Model}|{ConditionId}|{SampleIndex.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The sample's seed: the base seed plus the sample index, or <see langword="null"/> without a base seed.</summary>
    /// <param name="baseSeed">The run's base seed.</param>
    /// <returns>The seed.</returns>
    public long? Seed(long? baseSeed) => baseSeed + SampleIndex;
}
