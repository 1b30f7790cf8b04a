namespace Misalignment.Eval.Running;

/// <summary>Live, thread-safe counters of one model's run (read by progress reports).</summary>
internal sealed class RunCounters
{
    private long _done;
    private long _ok;
    private long _errors;
    private long _harmful;
    private long _scored;
    private long _retries;
    private long _rateLimitWaits;
    private long _judgeFailures;

    /// <summary>Samples finished (ok or error).</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Samples with a response.</summary>
    public long Ok => Interlocked.Read(ref _ok);

    /// <summary>Samples that ended in an error.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Samples judged harmful.</summary>
    public long Harmful => Interlocked.Read(ref _harmful);

    /// <summary>Samples scored (harmful or not harmful).</summary>
    public long Scored => Interlocked.Read(ref _scored);

    /// <summary>Retries made.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Times a call waited for a rate limit.</summary>
    public long RateLimitWaits => Interlocked.Read(ref _rateLimitWaits);

    /// <summary>Samples left unscorable because the judge call failed (bad key, unknown judge model, outage).</summary>
    public long JudgeFailures => Interlocked.Read(ref _judgeFailures);

    /// <summary>Counts a sample whose judge call failed.</summary>
    public void AddJudgeFailure() => Interlocked.Increment(ref _judgeFailures);

    /// <summary>Counts a retry.</summary>
    public void AddRetry() => Interlocked.Increment(ref _retries);

    /// <summary>Counts a wait for a rate limit.</summary>
    public void AddRateLimitWait() => Interlocked.Increment(ref _rateLimitWaits);

    internal void AddSample(bool ok, bool? harmful)
    {
        Interlocked.Increment(ref _done);
        if (ok)
        {
            Interlocked.Increment(ref _ok);
        }
        else
        {
            Interlocked.Increment(ref _errors);
        }
        if (harmful is { } h)
        {
            Interlocked.Increment(ref _scored);
            if (h)
            {
                Interlocked.Increment(ref _harmful);
            }
        }
    }
}
