namespace Misalignment.Eval.Running;

/// <summary>How a run behaves on interruptions and failures (the reference reads these keys but never uses them; they are honoured here).</summary>
public sealed record ExecutionSpec
{
    /// <summary>Whether a rerun into the same output resumes, skipping samples already done.</summary>
    public bool ResumeInterrupted { get; init; } = true;

    /// <summary>The timeout of one attempt (one call) in seconds, or <see langword="null"/> for the default.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>How many times a failed call is retried, or <see langword="null"/> for the default.</summary>
    public int? Retries { get; init; }

    /// <summary>The reference's <c>checkpoint_frequency</c>; every sample is flushed as it completes here, so it is informational.</summary>
    public int? CheckpointFrequency { get; init; }

    /// <summary>Whether a resumed run tries its failed samples again (default true; false keeps them as recorded).</summary>
    public bool RetryFailed { get; init; } = true;

    /// <summary>Seconds before the first retry when the server names no wait; later ones grow exponentially, with jitter (default 2).</summary>
    public double? RetryDelaySeconds { get; init; }

    /// <summary>Only this shard of the work, or <see langword="null"/> for all of it.</summary>
    public Shard? Shard { get; init; }

    /// <summary>A folder caching responses per (model, prompt, sample, seed), or <see langword="null"/> for none.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The most this run may spend on model calls, in USD: no sample starts once spent plus in flight (estimated) would pass it; every finished sample is kept, and a resume goes on. <see langword="null"/> for no cap. Every model needs a price.</summary>
    public double? MaxCostUsd { get; init; }

    /// <summary>
    /// Whether the <c>misalign</c> command line paces each model's calls to the rate limits its provider announces in
    /// response headers (OpenAI's <c>x-ratelimit-*</c>, Anthropic's <c>anthropic-ratelimit-*</c>), on top of any configured
    /// limit (default true; the config key <c>execution.adaptive_rate_limits</c>, the flag <c>--no-adaptive-limits</c>).
    /// The pacing sits in the command line's provider clients: a session in code uses the clients its
    /// <see cref="ModelResolver"/> gives.
    /// </summary>
    public bool AdaptiveRateLimits { get; init; } = true;

    /// <summary>A JSON price table laid over the shipped one (the shape of <c>Running/Cost/prices.json</c>), or <see langword="null"/> for the shipped prices only.</summary>
    public string? PricesFile { get; init; }

    /// <summary>
    /// Whether the models whose provider has a batch API (OpenAI, Anthropic) send their samples through it, at the
    /// provider's batch price (<c>--batch</c>; see docs/batch.md). A model whose provider has none runs online, with a
    /// warning. The judge's calls stay online unless <see cref="BatchJudge"/> is set too.
    /// </summary>
    public bool Batch { get; init; }

    /// <summary>
    /// Whether the judge's calls (harm and eval-awareness) go through its provider's batch API when it has one
    /// (<c>--batch-judge</c>, config <c>execution.batch_judge</c>; see docs/batch.md), with or without <see cref="Batch"/>:
    /// each verdict then waits for a judge batch (up to the batch deadline) instead of an online call. A judge whose
    /// provider has none stays online, with a warning. The batch settings apply to the judge's batches too.
    /// </summary>
    public bool BatchJudge { get; init; }

    /// <summary>The most requests one batch holds, or <see langword="null"/> for the default (2,000; the provider's cap applies too).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seconds between two polls of a submitted batch, or <see langword="null"/> for the default (30).</summary>
    public double? BatchPollSeconds { get; init; }

    /// <summary>Seconds without a new request after which a batch that is not full is sent, or <see langword="null"/> for the default (2).</summary>
    public double? BatchIdleSeconds { get; init; }

    /// <summary>Hours after its submission at which a batch still in progress is given up and its requests go into a new one, or <see langword="null"/> for the default (25).</summary>
    public double? BatchDeadlineHours { get; init; }

    /// <summary>
    /// Whether the CLI's Claude clients (Anthropic, Bedrock, Vertex) mark the prompt every sample of a condition shares
    /// with an ephemeral <c>cache_control</c> breakpoint, so later samples read it from the provider's prompt cache
    /// (default true; config <c>execution.prompt_cache</c>, <c>--no-prompt-cache</c>). It changes nothing the model
    /// reads. OpenAI caches on its own; an <see cref="Microsoft.Extensions.AI.IChatClient"/> of your own decides for itself.
    /// </summary>
    public bool PromptCache { get; init; } = true;
}
