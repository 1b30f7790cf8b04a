namespace Misalignment.Eval.Running;

/// <summary>
/// A per-minute budget (requests or tokens) spent smoothly: each acquisition reserves the next free slot on a
/// schedule of one unit every <c>60 s / budget</c> (the generic cell-rate algorithm with no burst allowance), so
/// requests are spread evenly and there is never a burst at the start of a minute (providers enforce per-minute
/// limits over shorter windows). Time comes from a <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's token bucket was tried first: its manual replenishment still follows the wall
/// clock, so it cannot be driven by a fake clock, and a full bucket releases a burst.
/// </remarks>
internal sealed class SmoothRateLimiter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _perUnit;
    private DateTimeOffset _next;

    /// <summary>Creates a limiter for a budget per minute.</summary>
    /// <param name="perMinute">The budget per minute (requests or tokens).</param>
    /// <param name="timeProvider">The clock.</param>
    public SmoothRateLimiter(int perMinute, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        ArgumentNullException.ThrowIfNull(timeProvider);
        PerMinute = perMinute;
        _time = timeProvider;
        _perUnit = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute);
        _next = timeProvider.GetUtcNow();
    }

    /// <summary>The budget per minute.</summary>
    public int PerMinute { get; }

    /// <summary>Reserves units and waits until their slot comes.</summary>
    /// <param name="units">The units (1 for a request; the estimated tokens for a token budget), at most one minute's budget.</param>
    /// <param name="cancellationToken">Cancels the wait (the slot is given back when nobody queued behind it).</param>
    /// <returns>Whether the caller had to wait.</returns>
    public async ValueTask<bool> AcquireAsync(int units, CancellationToken cancellationToken)
    {
        int count = Math.Clamp(units, 1, PerMinute);
        TimeSpan wait;
        DateTimeOffset start, end;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            start = _next > now ? _next : now;
            end = start + (_perUnit * count);
            _next = end;
            wait = start - now;
        }

        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                // Give the slot back when nobody has queued behind it, so abandoned waits do not push the schedule away.
                if (_next == end)
                {
                    _next = start;
                }
            }

            throw;
        }

        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing to release: the limiter holds no timers. Kept disposable so callers can own limiters uniformly.
    }
}
