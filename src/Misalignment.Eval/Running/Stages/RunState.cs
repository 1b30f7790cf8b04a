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

    public RunState(IReadOnlyList<ModelUnderTest> models, IReadOnlyDictionary<string, int> totals, TimeProvider time, BatchRun? batches = null, string? batchedJudge = null)
    {
        Batches = batches;
        BatchedJudge = batchedJudge;
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

    /// <summary>The judge's name when its calls are batched, for its batches' progress.</summary>
    public string? BatchedJudge { get; }

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
                return WithBatches(new ModelProgress
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
                }, batch);
            })],
            Judge = BatchedJudge is { } judge && Batches is { } batches ? WithBatches(new ModelProgress { Model = judge }, batches.JudgeView()) : null,
        };
    }

    private static ModelProgress WithBatches(ModelProgress progress, BatchView? batch) => batch is null ? progress : progress with
    {
        Batched = batch.Answered,
        BatchHeld = batch.Held,
        BatchesInFlight = batch.InFlight,
        BatchId = batch.OldestId,
        BatchProvider = batch.Provider,
        BatchPhase = batch.Phase,
        BatchRequests = batch.Requests,
        BatchSucceeded = batch.Succeeded,
        BatchErrored = batch.Errored,
        BatchWaiting = batch.Waiting,
    };
}
