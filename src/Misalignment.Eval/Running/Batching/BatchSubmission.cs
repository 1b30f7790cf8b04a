using System.Globalization;

namespace Misalignment.Eval.Running;

/// <summary>
/// One batch's way from the queue to its answers: submit it, record it in the store (before the first poll, so a
/// resumed run attaches to it instead of submitting again), poll it, and answer each held request. A refused
/// submission answers every request with the provider's status (401 stops the model, 400 is not retried, 429 and 5xx
/// are); a batch that cannot be submitted for another reason fails its requests with that reason.
/// </summary>
internal sealed class BatchSubmission(BatchingHandler handler, BatchRun run, string model, bool judge, IReadOnlyList<HeldRequest> items)
{
    private readonly TaskCompletionSource _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the batch is in the store, or its submission failed: from then on a cancelled request may let go.</summary>
    public Task Recorded => _recorded.Task;

    public async Task RunAsync()
    {
        try
        {
            if (await SubmitAsync().ConfigureAwait(false) is not { } batch)
            {
                return;
            }

            var poller = run.Poller(batch.BatchId, () => new BatchPoller(handler.Protocol, handler.Settings, handler.Time, run, batch));
            await poller.Completion.ConfigureAwait(false);
            foreach (var item in items)
            {
                item.Answer.TrySetResult(poller.Take(item.Request.CustomId));
            }
        }
        catch (Exception ex)
        {
            // The run is over (its pollers stopped) or something unforeseen: no request waits for ever.
            foreach (var item in items)
            {
                item.Answer.TrySetException(ex);
            }
        }
        finally
        {
            _recorded.TrySetResult();
            run.Notify();
        }
    }

    /// <summary>Submits and records the batch; null when that failed (every request is answered then).</summary>
    private async Task<BatchRecord?> SubmitAsync()
    {
        var protocol = handler.Protocol;
        string batchId;
        try
        {
            // Not cancelled with the run: a batch being created is recorded before the run may close its store.
            using var bound = new BoundedToken(handler.Settings.SubmitTimeout, handler.Time);
            try
            {
                batchId = await protocol.SubmitAsync([.. items.Select(i => i.Request)], bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (bound.TimedOut)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"submitting the batch did not finish within {handler.Settings.SubmitTimeout.TotalSeconds:0} s"), ex);
            }
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            foreach (var item in items)
            {
                item.Answer.TrySetResult(BatchAnswer.Error((int)status, $"The {protocol.Provider} batch API refused the batch: {ex.Message}", null));
            }

            return null;
        }
        catch (Exception ex)
        {
            foreach (var item in items)
            {
                item.Answer.TrySetException(new InvalidOperationException($"Submitting a {protocol.Provider} batch of {items.Count} requests failed: {ex.Message}", ex));
            }

            return null;
        }

        var record = new BatchRecord
        {
            BatchId = batchId,
            Provider = protocol.Provider,
            Model = model,
            Calls = judge ? BatchRecord.JudgeCalls : null,
            SubmittedAt = handler.Time.GetUtcNow(),
            Requests = items.ToDictionary(i => i.Request.CustomId, i => i.Key, StringComparer.Ordinal),
        };
        try
        {
            await run.RecordAsync(record).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Not retried (a retry would pay for the same requests again in a batch no resume could find).
            foreach (var item in items)
            {
                item.Answer.TrySetException(new MisalignmentEvalException($"Batch {batchId} was submitted but could not be recorded in the store ({ex.GetType().Name}: {ex.Message}); its answers are not used."));
            }

            return null;
        }

        _recorded.TrySetResult();
        return record;
    }
}
