using System.Collections.Concurrent;
using System.Globalization;

namespace Misalignment.Eval.Running;

/// <summary>
/// Polls one batch (a new one, or one a resumed run attaches to) every poll interval until it is no longer in
/// progress or its deadline passes, then reads its results; each request takes its answer once. A request without a
/// result (a failed, expired or given-up batch, a missing line) is answered 503 with the reason, so the runner retries
/// it into a new batch; a batch given up is cancelled at the provider first (best effort: the answers do not wait for
/// it), so it is not billed too. One poller per batch id and run; it stops when the run is over.
/// </summary>
internal sealed class BatchPoller
{
    private const int ResultReads = 3;
    private readonly IBatchProtocol _protocol;
    private readonly BatchSettings _settings;
    private readonly TimeProvider _time;
    private readonly BatchRun _run;
    private readonly DateTimeOffset _submittedAt;
    private readonly ConcurrentDictionary<string, BatchResult> _results = new(StringComparer.Ordinal);
    private readonly Task<string?> _completion;

    public BatchPoller(IBatchProtocol protocol, BatchSettings settings, TimeProvider time, BatchRun run, BatchRecord batch)
    {
        _protocol = protocol;
        _settings = settings;
        _time = time;
        _run = run;
        BatchId = batch.BatchId;
        _submittedAt = batch.SubmittedAt;
        run.Polling(batch.BatchId, protocol.Provider, batch.Model, batch.HoldsJudgeCalls, batch.Requests.Count, batch.SubmittedAt);
        _completion = Unflowed.Run(() => RunAsync(run.Stopping));
    }

    public string BatchId { get; }

    /// <summary>Completes when the results are in or the batch was given up; cancelled when the run is over first.</summary>
    public Task Completion => _completion;

    /// <summary>A request's answer, once the batch is done.</summary>
    public async Task<BatchAnswer> AnswerAsync(string customId, CancellationToken cancellationToken)
    {
        await _completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Take(customId);
    }

    /// <summary>A request's answer after <see cref="Completion"/>: its result, taken once, or a 503 saying why it has none.</summary>
    public BatchAnswer Take(string customId)
    {
        if (_results.TryRemove(customId, out var result))
        {
            return new BatchAnswer(result.StatusCode, result.Body, BatchId);
        }

        string why = _completion.Result ?? "ended without a result for this request";
        return BatchAnswer.Error(503, $"Batch {BatchId} ({_protocol.Provider}) {why}; the request is sent again in a new batch.", BatchId);
    }

    /// <summary>Polls, then reads the results; returns why requests may lack one (or null when the batch ended normally).</summary>
    private async Task<string?> RunAsync(CancellationToken stopping)
    {
        try
        {
            var (state, problem) = await PollAsync(stopping).ConfigureAwait(false);
            if (state is null)
            {
                _ = CancelAsync(stopping);
                return problem;
            }

            string? ending = state.Phase switch
            {
                BatchPhase.Failed => "failed" + (string.IsNullOrWhiteSpace(state.Message) ? string.Empty : $": {state.Message}"),
                BatchPhase.Expired => "expired before every request was answered",
                BatchPhase.Cancelled => "was cancelled before every request was answered",
                _ => null,
            };
            return state.Phase == BatchPhase.Failed ? ending : await ReadResultsAsync(stopping).ConfigureAwait(false) ?? ending;
        }
        finally
        {
            _run.Ended(BatchId);
        }
    }

    private async Task<(BatchState? State, string? Problem)> PollAsync(CancellationToken stopping)
    {
        var deadline = _submittedAt + _settings.Deadline;
        while (true)
        {
            try
            {
                using var bound = new BoundedToken(_settings.PollTimeout, _time, stopping);
                var state = await _protocol.PollAsync(BatchId, bound.Token).ConfigureAwait(false);
                _run.Polled(BatchId, state);
                if (state.Phase != BatchPhase.InProgress)
                {
                    return (state, null);
                }
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested && !TransientFailures.IsTransient(ex, CancellationToken.None))
            {
                return (null, $"could not be polled: {ex.Message}");
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // A transient failure (a dropped connection, a 5xx, a poll that timed out): poll again at the next interval.
                _ = ex;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"was still in progress {_settings.Deadline.TotalHours:0.##} h after its submission and was given up"));
            }

            await Task.Delay(_settings.PollInterval, _time, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the provider to cancel the given-up batch, bounded by the cancel timeout and the run; its failure is
    /// ignored: the batch's requests are retried either way, and the provider ends the batch within its window.
    /// </summary>
    private async Task CancelAsync(CancellationToken stopping)
    {
        try
        {
            using var bound = new BoundedToken(_settings.CancelTimeout, _time, stopping);
            await _protocol.CancelAsync(BatchId, bound.Token).WaitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Best effort: a refusal (the batch ended meanwhile), a network failure or the bound only leave it billed, as before.
            _ = ex;
        }
    }

    private async Task<string?> ReadResultsAsync(CancellationToken stopping)
    {
        for (int read = 1; ; read++)
        {
            try
            {
                using var bound = new BoundedToken(_settings.ResultsTimeout, _time, stopping);
                await foreach (var result in _protocol.ResultsAsync(BatchId, bound.Token).WithCancellation(bound.Token).ConfigureAwait(false))
                {
                    _results[result.CustomId] = result;
                }

                return null;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested && read < ResultReads && TransientFailures.IsTransient(ex, CancellationToken.None))
            {
                await Task.Delay(_settings.PollInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                return $"ended, but its results could not be read: {ex.Message}";
            }
        }
    }
}
