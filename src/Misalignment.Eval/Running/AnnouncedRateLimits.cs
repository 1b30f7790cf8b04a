namespace Misalignment.Eval.Running;

/// <summary>What one call will spend: its input tokens (estimated) and its output budget.</summary>
/// <param name="InputTokens">The estimated input tokens.</param>
/// <param name="OutputTokens">The output budget (the request's max tokens).</param>
internal readonly record struct RequestCost(long InputTokens, long OutputTokens)
{
    /// <summary>What the call spends of a budget of the given kind.</summary>
    public long Of(RateBudgetKind kind) => kind switch
    {
        RateBudgetKind.Requests => 1,
        RateBudgetKind.InputTokens => InputTokens,
        RateBudgetKind.OutputTokens => OutputTokens,
        _ => InputTokens + OutputTokens,
    };
}

/// <summary>
/// The rate limits a provider announces for one model, and the calls sent against them: the state behind
/// <see cref="AdaptiveRateLimitHandler"/>, shared by every client of that model in one command (the model under test and
/// a judge of the same model spend the same budget). Thread-safe; every wait is on the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>For each budget (requests; tokens; Anthropic's input and output tokens) it keeps <c>remaining</c>, an estimate
/// that is never above what the provider has left if this process is the only one spending the budget, and <c>reset</c>,
/// when the provider said the budget is restored in full.</para>
/// <list type="number">
/// <item><description><b>Reserve.</b> A call reserves one request and its tokens (<see cref="RequestCost"/>) from every
/// known budget. If a budget's <c>remaining</c> is below the cost, the call waits: until that budget's <c>reset</c> (the
/// latest of the budgets short), or, when no reset is known, until another call's response brings news. No wait is longer
/// than the cap: past it the call is sent anyway, so a wrong header cannot stall a run.</description></item>
/// <item><description><b>Observe.</b> A response's <c>remaining</c> was computed when the server took that call, so calls
/// sent after it, and calls still in flight when it was sent (the server may have taken them after it), may not be counted
/// in it. <c>remaining</c> becomes the announced value less both (counted per call when it was reserved): a lower bound
/// even when responses arrive out of order, and one that sees what other clients of the same key spent. <c>reset</c>
/// becomes the later of the known one and the announced one.</description></item>
/// <item><description><b>Restore.</b> When <c>reset</c> passes, <c>remaining</c> becomes the announced limit less what is
/// still in flight (a call sent before the reset may be counted in the new window), or unknown without a known limit; the
/// budget's generation moves on, and a response to a call reserved before the restore teaches nothing (it speaks of the
/// old window).</description></item>
/// <item><description><b>Probe.</b> Until the first response nothing is known: one call goes alone and the others wait for
/// its headers; a server that sends none is then passed through. A call short on a budget with no known reset, when
/// nothing is in flight to bring news, goes alone.</description></item>
/// </list>
/// <para>What it does not do: interpolate a provider's continuous refill between responses (a fixed window would then be
/// overrun; a refilling budget is used in bursts up to its limit instead), or see what other processes spend between two
/// responses (their 429s are retried by the resilience pipeline).</para>
/// </remarks>
internal sealed class AnnouncedRateLimits(TimeProvider time)
{
    private static readonly RateBudgetKind[] Kinds = Enum.GetValues<RateBudgetKind>();
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);
    private readonly Lock _lock = new();
    private readonly Budget[] _budgets = [.. Kinds.Select(_ => new Budget())];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _answered;
    private int _inFlight;

    /// <summary>The estimate of what remains of a budget, or <see langword="null"/> when unknown (for tests and diagnostics).</summary>
    public long? Remaining(RateBudgetKind kind)
    {
        lock (_lock)
        {
            return _budgets[(int)kind].Remaining;
        }
    }

    /// <summary>Waits until the call fits every known budget (or the cap passes), then reserves its cost.</summary>
    /// <param name="cost">What the call spends.</param>
    /// <param name="cap">The longest wait; past it the call goes anyway.</param>
    /// <param name="cancellationToken">Cancels the wait (nothing is reserved then).</param>
    /// <returns>The reservation, to hand to <see cref="Observe"/> or <see cref="Release"/>.</returns>
    public async ValueTask<Reservation> ReserveAsync(RequestCost cost, TimeSpan cap, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + cap;
        bool waited = false;
        while (true)
        {
            TimeSpan delay;
            Task changed;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                Restore(now);
                if (now >= deadline || MayGo(cost, now, deadline, out var until))
                {
                    return Take(cost, waited);
                }

                delay = until - now > MaxDelay ? MaxDelay : until - now;
                changed = _changed.Task;
            }

            waited = true;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(changed, Task.Delay(delay, time, stop.Token)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>A response arrived: the call is no longer in flight, and what its headers announced is learnt.</summary>
    public void Observe(Reservation reservation, IReadOnlyDictionary<RateBudgetKind, AnnouncedBudget> announced)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentNullException.ThrowIfNull(announced);
        lock (_lock)
        {
            _answered = true;
            Done(reservation);
            foreach (var (kind, news) in announced)
            {
                var budget = _budgets[(int)kind];
                var share = reservation.Shares[(int)kind];
                if (news.Limit is { } limit)
                {
                    budget.Limit = limit;
                }

                if (share.Generation != budget.Generation)
                {
                    // Reserved before the last restore: its news is of the old window.
                    continue;
                }

                if (news.Remaining is { } announcedRemaining)
                {
                    budget.Remaining = Math.Min(announcedRemaining, budget.Limit ?? announcedRemaining) - (budget.Reserved - share.ReservedThrough) - share.InFlightBefore;
                }

                if (news.ResetAt is { } reset)
                {
                    budget.ResetAt = budget.ResetAt is { } known && known > reset ? known : reset;
                }
            }

            Signal();
        }
    }

    /// <summary>The call ended without a response (a transport failure, a cancellation): it is no longer in flight.</summary>
    public void Release(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_lock)
        {
            Done(reservation);
            Signal();
        }
    }

    /// <summary>Whether the call may go now; if not, until when it waits (a reset, or the deadline for news).</summary>
    private bool MayGo(RequestCost cost, DateTimeOffset now, DateTimeOffset deadline, out DateTimeOffset until)
    {
        until = deadline;
        if (!_answered)
        {
            return _inFlight == 0;
        }

        DateTimeOffset? latestReset = null;
        bool isShort = false, unknownReset = false;
        foreach (var kind in Kinds)
        {
            var budget = _budgets[(int)kind];
            if (budget.Remaining is { } remaining && remaining < Units(cost, kind, budget))
            {
                isShort = true;
                if (budget.ResetAt is { } reset)
                {
                    latestReset = latestReset is { } r && r > reset ? r : reset;
                }
                else
                {
                    unknownReset = true;
                }
            }
        }

        if (!isShort)
        {
            return true;
        }

        if (unknownReset)
        {
            // Nothing in flight can bring news: go alone as a probe.
            return _inFlight == 0;
        }

        until = latestReset < deadline ? latestReset.Value : deadline;
        return until <= now;
    }

    /// <summary>Budgets whose reset has passed are restored: the limit less what is in flight, or unknown without a limit.</summary>
    private void Restore(DateTimeOffset now)
    {
        foreach (var budget in _budgets)
        {
            if (budget.ResetAt is { } reset && reset <= now)
            {
                budget.Remaining = budget.Limit is { } limit ? limit - budget.InFlight : null;
                budget.ResetAt = null;
                budget.Generation++;
            }
        }
    }

    private Reservation Take(RequestCost cost, bool waited)
    {
        var shares = new Share[Kinds.Length];
        foreach (var kind in Kinds)
        {
            var budget = _budgets[(int)kind];
            long units = Units(cost, kind, budget);
            shares[(int)kind] = new Share(units, budget.Reserved + units, budget.InFlight, budget.Generation);
            budget.Reserved += units;
            budget.InFlight += units;
            budget.Remaining -= units;
        }

        _inFlight++;
        return new Reservation(shares, waited);
    }

    private void Done(Reservation reservation)
    {
        if (reservation.Settled)
        {
            return;
        }

        reservation.Settled = true;
        _inFlight--;
        foreach (var kind in Kinds)
        {
            _budgets[(int)kind].InFlight -= reservation.Shares[(int)kind].Units;
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>A call's cost in a budget, at most the budget's limit (a call larger than the whole budget waits for all of it, not forever).</summary>
    private static long Units(RequestCost cost, RateBudgetKind kind, Budget budget) =>
        Math.Max(0, Math.Min(cost.Of(kind), budget.Limit ?? long.MaxValue));

    /// <summary>One budget's state.</summary>
    private sealed class Budget
    {
        public long? Limit { get; set; }

        public long? Remaining { get; set; }

        public DateTimeOffset? ResetAt { get; set; }

        /// <summary>Units reserved so far, in all.</summary>
        public long Reserved { get; set; }

        /// <summary>Units of calls sent and not yet answered.</summary>
        public long InFlight { get; set; }

        /// <summary>How many times the budget was restored (a reset from an older generation's call is not taken).</summary>
        public long Generation { get; set; }
    }
}

/// <summary>One call's share of a budget, as it was reserved.</summary>
/// <param name="Units">What it reserved.</param>
/// <param name="ReservedThrough">The budget's reserved total with this call's share included.</param>
/// <param name="InFlightBefore">Units in flight when it was reserved (other calls'), which its response may not count.</param>
/// <param name="Generation">The budget's generation when it was reserved.</param>
internal readonly record struct Share(long Units, long ReservedThrough, long InFlightBefore, long Generation);

/// <summary>A call's reservation against every budget.</summary>
/// <param name="Shares">Its share of each budget, by <see cref="RateBudgetKind"/>.</param>
/// <param name="Waited">Whether it had to wait.</param>
internal sealed record Reservation(IReadOnlyList<Share> Shares, bool Waited)
{
    /// <summary>Whether its response (or its failure) has been accounted.</summary>
    public bool Settled { get; set; }
}
