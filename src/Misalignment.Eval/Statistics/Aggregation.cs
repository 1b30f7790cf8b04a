
namespace Misalignment.Eval;

/// <summary>Everything the reports show: per-cell statistics, roll-ups, the eval-awareness split, and whether the data is complete.</summary>
public sealed record Aggregation
{
    /// <summary>The store's manifest.</summary>
    public required RunManifest Manifest { get; init; }

    /// <summary>The confidence level of every interval.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Per (model, condition) cell, ordered by model then condition id.</summary>
    public IReadOnlyList<CellStats> Cells { get; init; } = [];

    /// <summary>Roll-ups per model: over all its samples, and by scenario, goal type, goal value and urgency.</summary>
    public IReadOnlyList<GroupStats> Groups { get; init; } = [];

    /// <summary>The eval-awareness split per model: the harmful rate among samples the model judged real, an evaluation, or did not deliberate on.</summary>
    public IReadOnlyList<GroupStats> Awareness { get; init; } = [];

    /// <summary>Samples recorded.</summary>
    public long Recorded { get; init; }

    /// <summary>Samples the manifest plans (models x conditions x samples), or <see langword="null"/> when unknown (a shard, an import).</summary>
    public long? Planned { get; init; }

    /// <summary>Whether fewer samples are recorded than planned (an interrupted or unfinished run).</summary>
    public bool Partial => Planned is { } planned && Recorded < planned;

    /// <summary>Per model that has fewer samples than planned and whose samples end with a persistent failure (HTTP 401 or 404, or 403 on three conditions): "stopped early: HTTP 401: message", from its last such recorded error.</summary>
    internal IReadOnlyDictionary<string, string> StoppedEarly { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The models with fewer samples recorded than planned.</summary>
    internal IReadOnlyList<string> ShortModels { get; init; } = [];

    /// <summary>What the recorded samples used and cost, over all models (cost at the prices recorded with each sample; the manifest's <see cref="RunManifest.PricesAsOf"/> dates them).</summary>
    internal UsageTally Usage { get; init; } = new();

    /// <summary>What each model's samples used and cost, by model, in the order of <see cref="Models"/>.</summary>
    internal IReadOnlyDictionary<string, UsageTally> UsageByModel { get; init; } = new Dictionary<string, UsageTally>(StringComparer.Ordinal);

    /// <summary>Whether any verdict came from a judge; <see langword="false"/> means action-only verdicts.</summary>
    public bool JudgeBacked { get; init; }

    /// <summary>The roll-ups of one axis (<see cref="RollUp.Awareness"/> gives <see cref="Awareness"/>).</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The groups, ordered by model then value.</returns>
    public IEnumerable<GroupStats> By(RollUp axis) => (axis == RollUp.Awareness ? Awareness : Groups).Where(g => g.Axis == axis);

    /// <summary>The models, in manifest order.</summary>
    public IReadOnlyList<string> Models => [.. Manifest.Models.Union(Cells.Select(c => c.Model)).Distinct()];

    /// <summary>Compares two models on one condition, or on everything when <paramref name="conditionId"/> is null: difference of harmful rates (A - B) with Newcombe's interval.</summary>
    /// <param name="modelA">Model A.</param>
    /// <param name="modelB">Model B.</param>
    /// <param name="conditionId">A condition, or <see langword="null"/> for all samples.</param>
    /// <returns>The difference.</returns>
    public RateDifference Compare(string modelA, string modelB, string? conditionId = null)
    {
        RateEstimate Of(string model) => conditionId is null
            ? By(RollUp.All).First(g => g.Model == model).Estimate
            : Cells.FirstOrDefault(c => c.Model == model && c.ConditionId == conditionId)?.Estimate ?? new RateEstimate();
        var a = Of(modelA);
        var b = Of(modelB);
        return Newcombe.Difference(a.Harmful, a.Scored, b.Harmful, b.Scored, Level);
    }

    /// <summary>The paired view of two models over the conditions both have scored samples for.</summary>
    /// <param name="modelA">Model A.</param>
    /// <param name="modelB">Model B.</param>
    /// <returns>One row per shared condition, ordered by condition id: the condition, model A's estimate, model B's, and A - B with Newcombe's interval.</returns>
    public IReadOnlyList<(string ConditionId, RateEstimate A, RateEstimate B, RateDifference Difference)> Paired(string modelA, string modelB)
    {
        var b = Cells.Where(c => c.Model == modelB).ToDictionary(c => c.ConditionId, StringComparer.Ordinal);
        return [.. Cells.Where(c => c.Model == modelA && c.Estimate.Scored > 0 && b.TryGetValue(c.ConditionId, out var other) && other.Estimate.Scored > 0)
            .OrderBy(c => c.ConditionId, StringComparer.Ordinal)
            .Select(c => (c.ConditionId, c.Estimate, b[c.ConditionId].Estimate, Newcombe.Difference(c.Estimate.Harmful, c.Estimate.Scored, b[c.ConditionId].Estimate.Harmful, b[c.ConditionId].Estimate.Scored, Level)))];
    }

    /// <summary>Reads a store and aggregates it.</summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="level">The confidence level of the intervals (default 0.95).</param>
    /// <returns>The aggregation.</returns>
    public static Aggregation FromStore(string storePath, double level = 0.95) => Aggregator.FromStore(storePath, level);

    /// <summary>Aggregates every sample of a sink (a store, or one in memory).</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="level">The confidence level of the intervals (default 0.95).</param>
    /// <returns>The aggregation.</returns>
    public static Aggregation FromSink(IResultSink sink, double level = 0.95) => Aggregator.FromSink(sink, level);
}
