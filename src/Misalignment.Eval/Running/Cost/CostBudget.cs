using System.Collections.Concurrent;

namespace Misalignment.Eval.Running;

/// <summary>
/// What a run has spent, per model, and the cap on it: a new sample starts only while what was spent plus what is
/// in flight (each at its model's estimate) plus its own estimate stays within <see cref="Max"/>. A sample's
/// estimate is its model's average actual cost so far, or the run's first estimate before any finished. It also sums
/// the run's usage tokens, cache reads and writes included.
/// </summary>
internal sealed class CostBudget(double? max, IReadOnlyDictionary<string, ModelPrice> prices, IReadOnlyDictionary<string, double> firstEstimates)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (double Spent, int Count)> _spent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _inFlight = new(StringComparer.Ordinal);
    private readonly UsageTally _usage = new();
    private double _total;
    private double _reserved;

    public double? Max => max;

    /// <summary>Whether the budget refused a sample (the run stopped starting new ones).</summary>
    public bool Reached { get; private set; }

    public double Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>The cost of the priced models so far (a model without a price is absent).</summary>
    public IReadOnlyDictionary<string, double> ByModel()
    {
        lock (_gate)
        {
            return _spent.Where(s => prices.ContainsKey(s.Key)).ToDictionary(s => s.Key, s => s.Value.Spent, StringComparer.Ordinal);
        }
    }

    /// <summary>Reserves a sample's estimate, or refuses (and marks the budget reached) when it would pass the cap.</summary>
    public bool TryStart(string key, string model)
    {
        lock (_gate)
        {
            double estimate = _spent.TryGetValue(model, out var s) && s.Count > 0 ? s.Spent / s.Count : firstEstimates.GetValueOrDefault(model);
            if (max is { } cap && _total + _reserved + estimate > cap)
            {
                Reached = true;
                return false;
            }

            _reserved += estimate;
            _inFlight[key] = estimate;
            return true;
        }
    }

    /// <summary>What this run's finished samples used and cost, over all models.</summary>
    public UsageTally Usage()
    {
        lock (_gate)
        {
            return _usage.Copy();
        }
    }

    /// <summary>
    /// Adds a finished sample: its cost (<see langword="null"/> when its model has no price or it reported no usage;
    /// it then adds nothing to the spend but counts in its model's average) and its usage tokens.
    /// </summary>
    public void Spend(string model, double? cost, Microsoft.Extensions.AI.UsageDetails? usage)
    {
        lock (_gate)
        {
            var s = _spent.GetValueOrDefault(model);
            _spent[model] = (s.Spent + (cost ?? 0), s.Count + 1);
            _total += cost ?? 0;
            _usage.Add(usage?.InputTokenCount, usage?.CachedInputTokenCount, PromptCacheUsage.CacheWriteTokens(usage), usage?.OutputTokenCount, cost);
        }
    }

    /// <summary>Releases a sample's reservation (it finished or was abandoned).</summary>
    public void Finish(string key)
    {
        lock (_gate)
        {
            if (_inFlight.TryRemove(key, out double estimate))
            {
                _reserved -= estimate;
            }
        }
    }
}
