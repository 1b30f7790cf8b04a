using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Misalignment.Eval.Running;

/// <summary>
/// What the batchers of one run share (they reach it through the <see cref="BatchScope"/> of each call): the sink's
/// ledger, where each batch is recorded before it is polled; the recorded batches a resumed run's samples attach to,
/// each request once; one poller per batch id; and the batch states the progress display shows (the judge's batches
/// apart from the models'). Disposing it (the run is over) stops the pollers; a submitted batch lives on at the
/// provider and a resume attaches to it.
/// </summary>
internal sealed class BatchRun : IDisposable
{
    /// <summary>The key the judge's batches are counted under (no model name starts with a control character).</summary>
    private const string JudgeKey = "\u0001judge";

    private readonly IBatchLedger? _ledger;
    private readonly ConcurrentDictionary<string, BatchRecord> _attachments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<BatchPoller>> _pollers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _answered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;

    /// <summary>Creates the run's batch state; a sink that keeps batches (<see cref="IBatchLedger"/>) gives the batches to attach to.</summary>
    public BatchRun(IResultSink sink, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Time = time;
        _stoppingToken = _stopping.Token;
        _ledger = sink as IBatchLedger;
        foreach (var record in _ledger?.OpenBatches ?? [])
        {
            foreach (var (customId, key) in record.Requests)
            {
                // A model's call waits for its answer while its sample is not in the sink; a judge's call judges a sample that is.
                if (sink.Contains(key) == record.HoldsJudgeCalls)
                {
                    // A later batch of the same request wins: it was submitted after the earlier one's answer was taken.
                    _attachments[customId] = record;
                }
            }
        }
    }

    /// <summary>The run's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Called when a batch state changes (the runner reports progress).</summary>
    public Action? Changed { get; set; }

    /// <summary>Cancelled when the run is over.</summary>
    public CancellationToken Stopping => _stoppingToken;

    /// <summary>Requests of recorded batches still waiting for a sample to attach.</summary>
    public int Attachable => _attachments.Count;

    /// <summary>Samples of this run answered by a batch.</summary>
    public long Answered => _answered.Where(p => p.Key != JudgeKey).Sum(p => p.Value);

    /// <summary>Judge calls of this run answered by a batch.</summary>
    public long JudgeAnswered => _answered.GetValueOrDefault(JudgeKey);

    /// <summary>Takes the recorded batch of a request, once: a retry of the same request goes into a new batch.</summary>
    public bool TryAttach(string customId, string provider, bool judge, [NotNullWhen(true)] out BatchRecord? record) =>
        _attachments.TryRemove(customId, out record) && string.Equals(record.Provider, provider, StringComparison.Ordinal) && record.HoldsJudgeCalls == judge;

    /// <summary>Records a submitted batch in the sink (before it is polled).</summary>
    public ValueTask RecordAsync(BatchRecord record) => _ledger?.AppendAsync(record, CancellationToken.None) ?? ValueTask.CompletedTask;

    /// <summary>The one poller of a batch id, created (and started) by the first caller.</summary>
    public BatchPoller Poller(string batchId, Func<BatchPoller> create) =>
        _pollers.GetOrAdd(batchId, _ => new Lazy<BatchPoller>(create, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Counts requests held for a model's (or the judge's) next batch (negative: sent or withdrawn); <see cref="Notify"/> tells the display.</summary>
    public void Hold(string model, bool judge, int delta) => _held.AddOrUpdate(judge ? JudgeKey : model, delta, (_, n) => n + delta);

    /// <summary>Tells the progress display that a batch state changed.</summary>
    public void Notify() => Changed?.Invoke();

    /// <summary>A batch is submitted (or attached to after a resume) and being polled.</summary>
    public void Polling(string batchId, string provider, string model, bool judge, int requests, DateTimeOffset submittedAt)
    {
        _inFlight.TryAdd(batchId, new InFlight(batchId, provider, judge ? JudgeKey : model, submittedAt) { State = new BatchState(BatchPhase.InProgress, requests, 0, 0) });
        Changed?.Invoke();
    }

    /// <summary>A poll's answer.</summary>
    public void Polled(string batchId, BatchState state)
    {
        if (_inFlight.TryGetValue(batchId, out var batch))
        {
            batch.State = state;
            Changed?.Invoke();
        }
    }

    /// <summary>A batch's results are handed out (or it was given up).</summary>
    public void Ended(string batchId)
    {
        if (_inFlight.TryRemove(batchId, out _))
        {
            Changed?.Invoke();
        }
    }

    /// <summary>A sample of the model (or a call of the judge) was answered by a batch.</summary>
    public void CountAnswered(string model, bool judge = false) => _answered.AddOrUpdate(judge ? JudgeKey : model, 1, (_, n) => n + 1);

    /// <summary>The judge's batches now, as <see cref="View"/> gives a model's.</summary>
    public BatchView JudgeView() => View(JudgeKey);

    /// <summary>A model's batches now: held requests, batches in flight and the oldest one's state.</summary>
    public BatchView View(string model)
    {
        var batches = _inFlight.Values.Where(b => string.Equals(b.Model, model, StringComparison.Ordinal)).ToList();
        var oldest = batches.OrderBy(b => b.SubmittedAt).FirstOrDefault();
        var state = oldest?.State;
        return new BatchView(
            _answered.GetValueOrDefault(model),
            Math.Max(0, _held.GetValueOrDefault(model)),
            batches.Count,
            oldest?.Id,
            oldest?.Provider,
            state?.Phase.ToId(),
            state?.Total ?? 0,
            state?.Succeeded ?? 0,
            state?.Errored ?? 0,
            oldest is null ? null : Time.GetUtcNow() - oldest.SubmittedAt);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed class InFlight(string id, string provider, string model, DateTimeOffset submittedAt)
    {
        private BatchState? _state;

        public string Id { get; } = id;

        public string Provider { get; } = provider;

        public string Model { get; } = model;

        public DateTimeOffset SubmittedAt { get; } = submittedAt;

        public BatchState? State
        {
            get => Volatile.Read(ref _state);
            set => Volatile.Write(ref _state, value);
        }
    }
}

/// <summary>A model's batches at one moment, for the progress display.</summary>
internal sealed record BatchView(long Answered, int Held, int InFlight, string? OldestId, string? Provider, string? Phase, int Requests, int Succeeded, int Errored, TimeSpan? Waiting);
