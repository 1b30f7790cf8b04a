namespace Misalignment.Eval.Running;

/// <summary>A token cancelled after a time on the run's clock, or with an outer token: the bound of one batch API call.</summary>
internal sealed class BoundedToken : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource? _linked;

    public BoundedToken(TimeSpan limit, TimeProvider time, CancellationToken outer = default)
    {
        _timeout = new CancellationTokenSource(limit, time);
        _linked = outer.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token, outer) : null;
    }

    public CancellationToken Token => (_linked ?? _timeout).Token;

    /// <summary>Whether the time ran out (not the outer token).</summary>
    public bool TimedOut => _timeout.IsCancellationRequested;

    public void Dispose()
    {
        _linked?.Dispose();
        _timeout.Dispose();
    }
}
