namespace Misalignment.Eval;

/// <summary>
/// What a set of samples used and cost, summed as they are read: the tokens of the samples that reported usage (input
/// is all input; cache reads and writes are parts of it) and the cost of the samples that were priced. A sample
/// without a cost (its model had no price, or it reported no usage, or it failed) is counted, never costed at $0.
/// Not thread-safe.
/// </summary>
internal sealed class UsageTally
{
    /// <summary>The samples counted.</summary>
    public long Samples { get; private set; }

    /// <summary>The samples that reported usage (input or output tokens).</summary>
    public long WithUsage { get; private set; }

    /// <summary>The samples whose provider reported a prompt-cache count (a read or a write, 0 included).</summary>
    public long WithCacheCounts { get; private set; }

    /// <summary>The samples with a cost.</summary>
    public long Priced { get; private set; }

    /// <summary>The cost of the priced samples in USD.</summary>
    public double CostUsd { get; private set; }

    /// <summary>Input tokens, all of them.</summary>
    public long InputTokens { get; private set; }

    /// <summary>Of <see cref="InputTokens"/>, those read from the prompt cache.</summary>
    public long CachedInputTokens { get; private set; }

    /// <summary>Of <see cref="InputTokens"/>, those written to the prompt cache.</summary>
    public long CacheWriteTokens { get; private set; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; private set; }

    /// <summary>The samples counted without a cost.</summary>
    public long Unpriced => Samples - Priced;

    /// <summary>The share of input read from the cache, or <see langword="null"/> with no input counted.</summary>
    public double? CachedShare => InputTokens > 0 ? (double)CachedInputTokens / InputTokens : null;

    /// <summary>The share of input written to the cache, or <see langword="null"/> with no input counted.</summary>
    public double? WriteShare => InputTokens > 0 ? (double)CacheWriteTokens / InputTokens : null;

    /// <summary>A copy of the tally so far.</summary>
    public UsageTally Copy() => (UsageTally)MemberwiseClone();

    /// <summary>Counts a stored sample: its response's tokens and its recorded cost.</summary>
    public void Add(SampleRecord sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var r = sample.Response;
        Add(r?.InputTokens, r?.CachedInputTokens, r?.CacheWriteTokens, r?.OutputTokens, sample.CostUsd);
    }

    /// <summary>Counts one sample from its token counts (any may be unknown) and cost.</summary>
    public void Add(long? input, long? cached, long? written, long? output, double? costUsd)
    {
        Samples++;
        if (input is not null || output is not null)
        {
            WithUsage++;
            InputTokens += input ?? 0;
            CachedInputTokens += cached ?? 0;
            CacheWriteTokens += written ?? 0;
            OutputTokens += output ?? 0;
            WithCacheCounts += cached is not null || written is not null ? 1 : 0;
        }

        if (costUsd is { } cost)
        {
            Priced++;
            CostUsd += cost;
        }
    }
}
