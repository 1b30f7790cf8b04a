namespace Misalignment.Eval.Running;

/// <summary>
/// Hands out the work: per model, a queue of the pending items (read lazily from the plan, never held whole) served
/// by that model's workers; a semaphore per provider caps all of a provider's models together. A model's token
/// stops only its own workers; a worker that fails (the sink cannot be written) stops the whole run. With a cost
/// budget, each sample is reserved before it starts; a refused one stops every worker from starting more.
/// </summary>
internal sealed class RunScheduler(RunDefinition run, IResultSink sink, CostBudget? budget = null)
{
    public async Task RunAsync(Func<WorkItem, ModelUnderTest, CancellationTokenSource, Task> process, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var providers = options.ProviderConcurrency.ToDictionary(p => p.Key, p => new SemaphoreSlim(p.Value, p.Value), StringComparer.Ordinal);
        using var fault = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stops = new List<CancellationTokenSource>();
        var tasks = new List<Task>();
        try
        {
            foreach (var model in run.Models)
            {
                var queue = new PendingQueue(run.Plan(model).Where(i => !sink.Contains(i.Key)).GetEnumerator());
                var modelStop = CancellationTokenSource.CreateLinkedTokenSource(fault.Token);
                stops.Add(modelStop);
                // A batched model's calls wait in batches, not on the provider's online capacity: enough workers to fill a batch.
                var provider = model.Batched ? null : providers.GetValueOrDefault(model.Provider);
                int workers = Math.Max(1, options.ModelConcurrency.GetValueOrDefault(model.Name, options.Concurrency));
                workers = model.Batched ? Math.Max(workers, options.Batch.Size) : workers;
                for (int w = 0; w < workers; w++)
                {
                    tasks.Add(Task.Run(() => WorkAsync(queue, model, provider, modelStop, fault, process, budget, cancellationToken), CancellationToken.None));
                }
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            foreach (var disposable in providers.Values.Cast<IDisposable>().Concat(stops))
            {
                disposable.Dispose();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task WorkAsync(PendingQueue queue, ModelUnderTest model, SemaphoreSlim? provider, CancellationTokenSource modelStop, CancellationTokenSource fault, Func<WorkItem, ModelUnderTest, CancellationTokenSource, Task> process, CostBudget? budget, CancellationToken cancellationToken)
    {
        while (!modelStop.IsCancellationRequested && budget?.Reached != true && queue.TryTake(out var item))
        {
            if (budget is not null && !budget.TryStart(item.Key, model.Name))
            {
                break;
            }

            try
            {
                if (provider is not null)
                {
                    await provider.WaitAsync(modelStop.Token).ConfigureAwait(false);
                }

                try
                {
                    await process(item, model, modelStop).ConfigureAwait(false);
                }
                finally
                {
                    provider?.Release();
                    budget?.Finish(item.Key);
                }
            }
            catch (OperationCanceledException) when (modelStop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch
            {
                await fault.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>A model's pending items, taken one at a time by its workers.</summary>
    private sealed class PendingQueue(IEnumerator<WorkItem> items)
    {
        private readonly Lock _gate = new();

        public bool TryTake(out WorkItem item)
        {
            lock (_gate)
            {
                if (items.MoveNext())
                {
                    item = items.Current;
                    return true;
                }

                item = null!;
                return false;
            }
        }
    }
}
