using System.Collections.Concurrent;

namespace Misalignment.Eval.Running;

/// <summary>
/// What a run has spent, per model, and the cap on it: a new sample starts only while what was spent plus what is
/// in flight (each at its model's estimate) plus its own estimate stays within <see cref="Max"/>. A sample's
/// estimate is its model's average actual cost so far, or the run's first estimate before any finished.
/// </summary>
internal sealed class CostBudget(double? max, IReadOnlyDictionary<string, ModelPrice> prices, IReadOnlyDictionary<string, double> firstEstimates)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (double Spent, int Count)> _spent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _inFlight = new(StringComparer.Ordinal);
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

    /// <summary>Adds a finished call's cost from its usage tokens (a model without a price adds nothing).</summary>
    public double? Spend(string model, long? inputTokens, long? outputTokens)
    {
        double? cost = prices.TryGetValue(model, out var price) ? price.Cost(inputTokens, outputTokens) : null;
        lock (_gate)
        {
            var s = _spent.GetValueOrDefault(model);
            _spent[model] = (s.Spent + (cost ?? 0), s.Count + 1);
            _total += cost ?? 0;
        }

        return cost;
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
