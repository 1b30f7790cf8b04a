namespace Misalignment.Eval.Running;

/// <summary>
/// With a batched judge, a sample's judging goes on while its worker takes the next sample: a judge batch may take
/// hours, and a worker that waited for it would hold back the model's next samples (and their batches). At most
/// <c>capacity</c> samples are judged at once (a worker waits for a place, so the answers waiting for their verdict stay
/// bounded); the run waits for every judging to end before it finishes, and a judging that failed (not a cancel) fails
/// the run then, as it would have failed its worker. A run that fails or is stopped abandons the judgings still
/// waiting: their answers are recorded, and a resume judges them (attaching to their recorded judge batches).
/// </summary>
internal sealed class JudgeBacklog : IDisposable
{
    private readonly int _capacity;
    private readonly SemaphoreSlim _places;
    private readonly CancellationTokenSource _stop;
    private Exception? _failure;

    public JudgeBacklog(int capacity, CancellationToken run)
    {
        _capacity = Math.Max(1, capacity);
        _places = new SemaphoreSlim(_capacity);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(run);
    }

    /// <summary>Waits for a place, then starts <paramref name="judge"/> (given the backlog's token) without waiting for it.</summary>
    public async Task StartAsync(Func<CancellationToken, Task> judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var token = _stop.Token;
        await _places.WaitAsync(token).ConfigureAwait(false);
        _ = Task.Run(async () =>
        {
            try
            {
                await judge(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The run was stopped or failed: the answer is recorded, and a resume judges it.
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
    /// Waits until no judging is in flight (each is bounded: by its classification timeout, or at once by a cancel).
    /// After a run whose workers failed (<paramref name="runFailed"/>) the judgings are cancelled first; after one that
    /// did not, what failed a judging is thrown.
    /// </summary>
    public async Task DrainAsync(bool runFailed)
    {
        if (runFailed)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        for (int place = 0; place < _capacity; place++)
        {
            await _places.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _places.Release(_capacity);
        if (!runFailed && Volatile.Read(ref _failure) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _places.Dispose();
    }
}
