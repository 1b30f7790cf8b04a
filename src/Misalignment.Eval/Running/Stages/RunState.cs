using System.Collections.Concurrent;

namespace Misalignment.Eval.Running;

/// <summary>The state of one run (never shared with another run of the same runner): counters, stops, progress.</summary>
internal sealed class RunState
{
    private readonly Lock _progressGate = new();
    private readonly IReadOnlyList<ModelUnderTest> _models;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly Dictionary<string, long> _waitsAtStart;
    private long _lastReported = -1;

    public RunState(IReadOnlyList<ModelUnderTest> models, IReadOnlyDictionary<string, int> totals, TimeProvider time, BatchRun? batches = null)
    {
        Batches = batches;
        _models = models;
        _time = time;
        _started = time.GetTimestamp();
        Totals = totals;
        Counters = models.ToDictionary(m => m.Name, _ => new RunCounters(), StringComparer.Ordinal);
        _waitsAtStart = models.ToDictionary(m => m.Name, m => m.RateLimitWaits(), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, int> Totals { get; }

    /// <summary>The run's batches, for the batched models' progress.</summary>
    public BatchRun? Batches { get; }

    public Dictionary<string, RunCounters> Counters { get; }

    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public PersistentFailureRule Rule { get; } = new();

    public int Written;

    public int Errors;

    /// <summary>Reports a snapshot; snapshots go out in order and never count backwards.</summary>
    public void Report(IProgress<RunProgress>? progress, string? lastKey)
    {
        if (progress is null)
        {
            return;
        }

        lock (_progressGate)
        {
            long done = Counters.Values.Sum(c => c.Done);
            if (done < _lastReported || (done == _lastReported && lastKey is not null))
            {
                return;
            }

            _lastReported = done;
            progress.Report(Snapshot(lastKey));
        }
    }

    private RunProgress Snapshot(string? lastKey)
    {
        var elapsed = _time.GetElapsedTime(_started);
        return new RunProgress
        {
            Elapsed = elapsed,
            LastKey = lastKey,
            Models = [.. _models.Select(m =>
            {
                var c = Counters[m.Name];
                int total = Totals[m.Name];
                TimeSpan? eta = c.Done > 0 && c.Done < total ? elapsed * ((double)(total - c.Done) / c.Done) : null;
                var batch = m.Batched ? Batches?.View(m.Name) : null;
                return new ModelProgress
                {
                    Model = m.Name,
                    Total = total,
                    Done = c.Done,
                    Errors = c.Errors,
                    Harmful = c.Harmful,
                    Scored = c.Scored,
                    Retries = c.Retries,
                    RateLimitWaits = m.RateLimitWaits() - _waitsAtStart[m.Name],
                    Failure = Failures.GetValueOrDefault(m.Name),
                    Eta = eta,
                    Batched = batch?.Answered ?? 0,
                    BatchHeld = batch?.Held ?? 0,
                    BatchesInFlight = batch?.InFlight ?? 0,
                    BatchId = batch?.OldestId,
                    BatchProvider = batch?.Provider,
                    BatchPhase = batch?.Phase,
                    BatchRequests = batch?.Requests ?? 0,
                    BatchSucceeded = batch?.Succeeded ?? 0,
                    BatchErrored = batch?.Errored ?? 0,
                    BatchWaiting = batch?.Waiting,
                };
            })],
        };
    }
}
