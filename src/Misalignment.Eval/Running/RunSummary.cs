namespace Misalignment.Eval.Running;

/// <summary>How a run ended.</summary>
public sealed record RunSummary
{
    /// <summary>Samples written by this run.</summary>
    public int Written { get; init; }

    /// <summary>Samples skipped because the store already had them.</summary>
    public int Skipped { get; init; }

    /// <summary>Samples that ended in an error.</summary>
    public int Errors { get; init; }

    /// <summary>Models that stopped early, with the error that stopped them.</summary>
    public IReadOnlyDictionary<string, string> ModelFailures { get; init; } = new Dictionary<string, string>();

    /// <summary>Samples recorded earlier without a verdict (or with a failed judge) that this run judged.</summary>
    public int Rejudged { get; init; }

    /// <summary>Samples whose judge failed in this run (recorded unscorable, judged again by <c>classify</c> or a resume).</summary>
    public long JudgeFailures { get; init; }

    /// <summary>Samples not done because their model stopped early.</summary>
    public int NotRun { get; init; }

    /// <summary>What this run's model calls cost in USD (the recorded usage tokens at the price table's rates; judge calls not included), or <see langword="null"/> when no model has a price.</summary>
    public double? CostUsd { get; init; }

    /// <summary>The cost of each priced model's calls in this run, in USD.</summary>
    public IReadOnlyDictionary<string, double> CostByModel { get; init; } = new Dictionary<string, double>();

    /// <summary>Samples this run answered through a provider's batch API (<c>--batch</c>).</summary>
    public long Batched { get; init; }

    /// <summary>Judge calls this run answered through the judge's provider's batch API (<see cref="ExecutionSpec.BatchJudge"/>), a resumed store's pending verdicts included.</summary>
    public long BatchedJudgeCalls { get; init; }

    /// <summary>The samples this run wrote with a cost (<see cref="CostUsd"/> is theirs; the rest had no price or no usage).</summary>
    public int PricedSamples { get; init; }

    /// <summary>The input tokens of this run's samples, all of them (cache reads and writes included).</summary>
    public long InputTokens { get; init; }

    /// <summary>Of <see cref="InputTokens"/>, those read from the providers' prompt caches.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Of <see cref="InputTokens"/>, those written to the providers' prompt caches.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>The output tokens of this run's samples.</summary>
    public long OutputTokens { get; init; }

    /// <summary>The tally the token figures above come from (which samples reported cache counts at all), for the CLI's end-of-run line.</summary>
    internal UsageTally? Usage { get; init; }

    /// <summary>Whether the run stopped starting samples because the next would pass the cost cap (the rest are <see cref="NotRun"/>; resume to go on).</summary>
    public bool BudgetReached { get; init; }
}
