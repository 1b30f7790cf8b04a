namespace Misalignment.Eval.Running;

/// <summary>
/// With a batched judge, a sample's judging goes on while its worker takes the next sample: a judge batch may take
/// hours, and a worker that waited for it would hold back the model's next samples (and their batches). At most
/// <c>capacity</c> samples are judged at once (a worker waits for a place, so the answers waiting for their verdict stay
/// bounded); the run waits for every judging to end before it finishes, and a judging that failed (not a cancel) fails
/// the run then, as it would have failed its worker.
/// </summary>
internal sealed class JudgeBacklog(int capacity) : IDisposable
{
    private readonly int _capacity = Math.Max(1, capacity);
    private readonly SemaphoreSlim _places = new(Math.Max(1, capacity));
    private Exception? _failure;

    /// <summary>Waits for a place, then starts <paramref name="judge"/> without waiting for it.</summary>
    public async Task StartAsync(Func<Task> judge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judge);
        await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
        _ = Task.Run(async () =>
        {
            try
            {
                await judge().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The run was stopped: the answer is recorded, and a resume judges it.
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref _failure, ex, null);
            }
            finally
            {
                _places.Release();
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Waits until no judging is in flight (each is bounded: by its classification timeout, or at once by a cancel);
    /// with <paramref name="rethrow"/>, throws what failed one.
    /// </summary>
    public async Task DrainAsync(bool rethrow)
    {
        for (int place = 0; place < _capacity; place++)
        {
            await _places.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _places.Release(_capacity);
        if (rethrow && Volatile.Read(ref _failure) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose() => _places.Dispose();
}
