namespace Misalignment.Eval.Running;

/// <summary>
/// Sends a model's chat requests through its provider's batch API, below the SDK (one handler per provider client):
/// a request the protocol can batch, made inside a <see cref="BatchScope"/>, is held, queued under a custom id, and
/// answered with the online endpoint's status and body once its batch has ended, so the SDK, the response mapping
/// and everything after run as online. A queue is sent as one batch when it is full (the run's batch size, the
/// provider's request and byte caps), when no request joined it for the idle window, or at the latest the maximum
/// wait after its first request. The judge's calls made in a judge's scope go into batches of their own (a batch holds
/// the model's calls or the judge's, never both). Every other request (the batch API's own, an online judge's) goes to
/// the network.
/// After a resume, a request already in a recorded batch attaches to it instead of being sent again.
/// </summary>
internal sealed class BatchingHandler : DelegatingHandler
{
    private readonly Lock _gate = new();
    private OpenBatch? _open;

    public BatchingHandler(IBatchProtocol protocol, BatchSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Protocol = protocol;
        Settings = settings;
        Time = time ?? TimeProvider.System;
    }

    public IBatchProtocol Protocol { get; }

    public BatchSettings Settings { get; }

    public TimeProvider Time { get; }

    /// <summary>The most requests of one batch: the run's batch size within the provider's cap.</summary>
    private int Limit => Math.Max(1, Math.Min(Settings.Size, Protocol.MaxRequests));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (BatchScope.Current is not { } scope || !Protocol.IsBatchable(request))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        string customId = BatchCustomId.Of(scope.IdKey, body);
        var answer = scope.Run.TryAttach(customId, Protocol.Provider, scope.IsJudge, out var recorded)
            ? await scope.Run.Poller(recorded.BatchId, () => new BatchPoller(Protocol, Settings, Time, scope.Run, recorded)).AnswerAsync(customId, cancellationToken).ConfigureAwait(false)
            : await HoldAsync(new HeldRequest(scope.Run, scope.Model, scope.Key, new BatchRequest(customId, request.RequestUri?.AbsolutePath ?? "/", body)) { Judge = scope.IsJudge }, cancellationToken).ConfigureAwait(false);
        scope.BatchId = answer.BatchId;
        return answer.ToResponse(request);
    }

    private async Task<BatchAnswer> HoldAsync(HeldRequest held, CancellationToken cancellationToken)
    {
        Enqueue(held);
        using var registration = cancellationToken.Register(() => Withdraw(held, cancellationToken));
        return await held.Answer.Task.ConfigureAwait(false);
    }

    private void Enqueue(HeldRequest held)
    {
        lock (_gate)
        {
            if (_open is { } open && !open.Accepts(held, Protocol.MaxBytes))
            {
                Flush(open);
            }

            var batch = _open ??= new OpenBatch(held.Run, held.Model, held.Judge);
            batch.Add(held);
            held.Run.Hold(held.Model, held.Judge, 1);
            if (batch.Count >= Limit || Settings.IdleWindow == TimeSpan.Zero)
            {
                Flush(batch);
            }
            else
            {
                // The idle window starts again with every request; the maximum wait runs from the first.
                batch.Idle?.Dispose();
                batch.Idle = Unflowed.Create(() => Time.CreateTimer(_ => OnTimer(batch), null, Settings.IdleWindow, Timeout.InfiniteTimeSpan));
                batch.MaxWait ??= Unflowed.Create(() => Time.CreateTimer(_ => OnTimer(batch), null, Settings.MaxWait, Timeout.InfiniteTimeSpan));
            }
        }

        held.Run.Notify();
    }

    private void OnTimer(OpenBatch batch)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_open, batch))
            {
                Flush(batch);
            }
        }

        batch.Run.Notify();
    }

    /// <summary>Sends the open batch (under the gate): its requests leave the queue, and the submission runs on its own.</summary>
    private void Flush(OpenBatch batch)
    {
        if (ReferenceEquals(_open, batch))
        {
            _open = null;
        }

        batch.StopTimers();
        var items = batch.Take();
        batch.Run.Hold(batch.Model, batch.Judge, -items.Count);
        var submission = new BatchSubmission(this, batch.Run, batch.Model, batch.Judge, items);
        foreach (var item in items)
        {
            item.Submission = submission;
        }

        _ = Unflowed.Run(submission.RunAsync);
    }

    /// <summary>
    /// A cancelled request: one still queued leaves the queue; one being submitted is let go once its batch is
    /// recorded (so the run cannot close the store before the batch is in it); one submitted is abandoned, and its
    /// batch lives on for a resume to attach to.
    /// </summary>
    private void Withdraw(HeldRequest held, CancellationToken cancellationToken)
    {
        BatchSubmission? submission;
        lock (_gate)
        {
            submission = held.Submission;
            if (submission is null && _open is { } open && open.Remove(held))
            {
                held.Run.Hold(held.Model, held.Judge, -1);
                if (open.Count == 0)
                {
                    open.StopTimers();
                    _open = null;
                }
            }
        }

        if (submission is null)
        {
            held.Answer.TrySetCanceled(cancellationToken);
            held.Run.Notify();
            return;
        }

        submission.Recorded.ContinueWith(_ => held.Answer.TrySetCanceled(cancellationToken), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The queue being filled: its requests by custom id, its bytes and its two timers.</summary>
    private sealed class OpenBatch(BatchRun run, string model, bool judge)
    {
        private Dictionary<string, HeldRequest> _items = new(StringComparer.Ordinal);
        private long _bytes;

        public BatchRun Run { get; } = run;

        public string Model { get; } = model;

        /// <summary>Whether it holds the judge's calls (recorded so, and attached to by a resume's judge calls only).</summary>
        public bool Judge { get; } = judge;

        public ITimer? Idle { get; set; }

        public ITimer? MaxWait { get; set; }

        public int Count => _items.Count;

        /// <summary>Whether a request may join: the same run and kind of call, a custom id not in it yet, and room under the byte cap (a batch holds at least one).</summary>
        public bool Accepts(HeldRequest held, long maxBytes) =>
            ReferenceEquals(held.Run, Run) && held.Judge == Judge && !_items.ContainsKey(held.Request.CustomId) && _bytes + held.Request.Body.Length <= maxBytes;

        public void Add(HeldRequest held)
        {
            _items.Add(held.Request.CustomId, held);
            _bytes += held.Request.Body.Length;
        }

        public bool Remove(HeldRequest held)
        {
            if (!_items.Remove(held.Request.CustomId))
            {
                return false;
            }

            _bytes -= held.Request.Body.Length;
            return true;
        }

        public List<HeldRequest> Take()
        {
            var items = _items.Values.ToList();
            _items = new(StringComparer.Ordinal);
            _bytes = 0;
            return items;
        }

        public void StopTimers()
        {
            Idle?.Dispose();
            MaxWait?.Dispose();
            Idle = MaxWait = null;
        }
    }
}

/// <summary>One held request: its sample, its body under its custom id, and the answer it waits for.</summary>
internal sealed class HeldRequest(BatchRun run, string model, string key, BatchRequest request)
{
    public BatchRun Run { get; } = run;

    public string Model { get; } = model;

    public string Key { get; } = key;

    public BatchRequest Request { get; } = request;

    /// <summary>Whether it is a judge call.</summary>
    public bool Judge { get; init; }

    public TaskCompletionSource<BatchAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The submission that took it from the queue (set under the handler's gate), or <see langword="null"/> while queued.</summary>
    public BatchSubmission? Submission { get; set; }
}
