using System.Globalization;

using Misalignment.Eval.Running;

namespace Misalignment.Eval;

/// <summary>
/// Tallies sample records into cells and roll-ups, streaming: memory grows with the number of cells, never with
/// the number of records. The harmful rate is harmful / scored, so failures and unscorable responses never lower it.
/// </summary>
internal sealed class Aggregator
{
    private readonly double _level;
    private readonly Dictionary<(string Model, string Condition), (SampleRecord First, Counts Counts, UsageTally Usage)> _cells = [];
    private readonly Dictionary<(string Model, RollUp Axis, string Value), Counts> _groups = [];
    private readonly Dictionary<(string Model, string Label), Counts> _awareness = [];
    private readonly Dictionary<string, long> _perModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _forbidden = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _stops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UsageTally> _usage = new(StringComparer.Ordinal);
    private readonly UsageTally _total = new();
    private long _recorded;
    private bool _judgeBacked;

    /// <summary>Creates an aggregator.</summary>
    /// <param name="level">The confidence level of the intervals (default 0.95).</param>
    public Aggregator(double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, 1);
        _level = level;
    }

    /// <summary>Reads a store and aggregates it.</summary>
    /// <param name="storePath">The store.</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The aggregation.</returns>
    public static Aggregation FromStore(string storePath, double level = 0.95)
    {
        var aggregator = new Aggregator(level);
        foreach (var sample in ResultReader.ReadSamples(storePath))
        {
            aggregator.Add(sample);
        }

        return aggregator.Result(ResultReader.ReadManifest(storePath));
    }

    /// <summary>Aggregates every sample of a sink (a store, or one in memory).</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The aggregation.</returns>
    public static Aggregation FromSink(IResultSink sink, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var aggregator = new Aggregator(level);
        foreach (var sample in sink.ReadSamples())
        {
            aggregator.Add(sample);
        }

        return aggregator.Result(sink.Manifest);
    }

    /// <summary>Adds one sample.</summary>
    /// <param name="sample">The sample.</param>
    public void Add(SampleRecord sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        _recorded++;
        _perModel[sample.Model] = _perModel.GetValueOrDefault(sample.Model) + 1;
        var status = sample.Status;
        if (status == SampleStatus.Error && sample.Error is { Status: { } http, Transient: false } error && Persistent(sample, http))
        {
            _stops[sample.Model] = string.Create(CultureInfo.InvariantCulture, $"stopped early: HTTP {http}: {SecretScrubber.Scrub(error.Message)}");
        }

        var outcome = sample.Verdict?.Outcome;
        _judgeBacked |= sample.Verdict?.JudgeBacked == true;
        var key = (sample.Model, sample.ConditionId);
        if (!_cells.TryGetValue(key, out var cell))
        {
            _cells[key] = cell = (sample, new Counts(), new UsageTally());
        }

        cell.Counts.Add(status, outcome);
        cell.Usage.Add(sample);
        _total.Add(sample);
        if (!_usage.TryGetValue(sample.Model, out var usage))
        {
            _usage[sample.Model] = usage = new UsageTally();
        }

        usage.Add(sample);
        Group(sample.Model, RollUp.All, RollUp.All.ToId()).Add(status, outcome);
        Group(sample.Model, RollUp.Scenario, sample.Scenario).Add(status, outcome);
        Group(sample.Model, RollUp.GoalType, sample.GoalType.ToId()).Add(status, outcome);
        Group(sample.Model, RollUp.GoalValue, sample.GoalValue.ToId()).Add(status, outcome);
        Group(sample.Model, RollUp.Urgency, sample.Urgency.ToId()).Add(status, outcome);
        if (sample.Awareness is { Outcome: VerdictOutcome.Classified, Label: { } label })
        {
            var awarenessKey = (sample.Model, label);
            if (!_awareness.TryGetValue(awarenessKey, out var counts))
            {
                _awareness[awarenessKey] = counts = new Counts();
            }

            counts.Add(status, outcome);
        }
    }

    /// <summary>The aggregation so far.</summary>
    /// <param name="manifest">The store's manifest.</param>
    /// <returns>The aggregation.</returns>
    public Aggregation Result(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var order = manifest.Models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        int Rank(string model) => order.TryGetValue(model, out int i) ? i : int.MaxValue;
        bool planned = manifest.Shard is null && !manifest.Imported;
        long perModel = (long)manifest.Conditions * manifest.SamplesPerCondition;
        return new Aggregation
        {
            StoppedEarly = planned ? _stops.Where(s => _perModel.GetValueOrDefault(s.Key) < perModel).ToDictionary(StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal),
            ShortModels = planned ? [.. manifest.Models.Union(_perModel.Keys).Where(m => _perModel.GetValueOrDefault(m) < perModel)] : [],
            Manifest = manifest,
            Level = _level,
            Recorded = _recorded,
            Planned = planned ? (long)manifest.Models.Count * manifest.Conditions * manifest.SamplesPerCondition : null,
            JudgeBacked = _judgeBacked,
            Usage = _total.Copy(),
            UsageByModel = _usage.OrderBy(u => Rank(u.Key)).ThenBy(u => u.Key, StringComparer.Ordinal).ToDictionary(u => u.Key, u => u.Value.Copy(), StringComparer.Ordinal),
            Cells = [.. _cells.OrderBy(c => Rank(c.Key.Model)).ThenBy(c => c.Key.Model, StringComparer.Ordinal).ThenBy(c => c.Key.Condition, StringComparer.Ordinal).Select(c => new CellStats
            {
                Model = c.Key.Model,
                ConditionId = c.Key.Condition,
                Scenario = c.Value.First.Scenario,
                GoalType = c.Value.First.GoalType,
                GoalValue = c.Value.First.GoalValue,
                Urgency = c.Value.First.Urgency,
                Variant = c.Value.First.Variant,
                Estimate = c.Value.Counts.Estimate(_level),
                Usage = c.Value.Usage.Copy(),
            })],
            Groups = [.. _groups.OrderBy(g => Rank(g.Key.Model)).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Axis).ThenBy(g => g.Key.Value, StringComparer.Ordinal)
                .Select(g => new GroupStats { Model = g.Key.Model, Axis = g.Key.Axis, Value = g.Key.Value, Estimate = g.Value.Estimate(_level) })],
            Awareness = [.. _awareness.OrderBy(a => Rank(a.Key.Model)).ThenBy(a => a.Key.Label, StringComparer.Ordinal)
                .Select(a => new GroupStats { Model = a.Key.Model, Axis = RollUp.Awareness, Value = a.Key.Label, Estimate = a.Value.Estimate(_level) })],
        };
    }

    /// <summary>The runner's <c>PersistentFailureRule</c>, read back: 401 or 404 at once, 403 once seen on three conditions.</summary>
    private bool Persistent(SampleRecord sample, int status)
    {
        if (status is 401 or 404)
        {
            return true;
        }

        if (status != 403)
        {
            return false;
        }

        if (!_forbidden.TryGetValue(sample.Model, out var conditions))
        {
            _forbidden[sample.Model] = conditions = new HashSet<string>(StringComparer.Ordinal);
        }

        conditions.Add(sample.ConditionId);
        return conditions.Count >= 3;
    }

    private Counts Group(string model, RollUp axis, string value)
    {
        var key = (model, axis, value);
        if (!_groups.TryGetValue(key, out var counts))
        {
            _groups[key] = counts = new Counts();
        }

        return counts;
    }
}
