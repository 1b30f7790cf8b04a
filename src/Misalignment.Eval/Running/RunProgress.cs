namespace Misalignment.Eval.Running;

/// <summary>A snapshot of a run's progress, per model.</summary>
public sealed record RunProgress
{
    /// <summary>The models' progress, in run order.</summary>
    public required IReadOnlyList<ModelProgress> Models { get; init; }

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The sample that just finished, if the snapshot was taken for one.</summary>
    public string? LastKey { get; init; }

    /// <summary>
    /// A batched judge's batches (<see cref="ExecutionSpec.BatchJudge"/>): its <see cref="ModelProgress.Model"/> is the
    /// judge, <see cref="ModelProgress.Batched"/> counts its calls answered through batches, and the batch fields describe
    /// its batches; its sample counts stay zero (the samples count under their models). <see langword="null"/> for an
    /// online judge or none.
    /// </summary>
    public ModelProgress? Judge { get; init; }
}

/// <summary>One model's progress.</summary>
public sealed record ModelProgress
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>Samples this run has to do for the model (those already in a resumed store excluded).</summary>
    public int Total { get; init; }

    /// <summary>Samples finished in this run.</summary>
    public long Done { get; init; }

    /// <summary>Samples that ended in an error.</summary>
    public long Errors { get; init; }

    /// <summary>Samples judged harmful so far.</summary>
    public long Harmful { get; init; }

    /// <summary>Samples scored so far.</summary>
    public long Scored { get; init; }

    /// <summary>Retries so far.</summary>
    public long Retries { get; init; }

    /// <summary>Rate-limit waits so far.</summary>
    public long RateLimitWaits { get; init; }

    /// <summary>Why the model stopped early, if it did.</summary>
    public string? Failure { get; init; }

    /// <summary>The estimated time to finish the model's samples, once some are done.</summary>
    public TimeSpan? Eta { get; init; }

    /// <summary>Samples this run answered through the provider's batch API (<c>--batch</c>).</summary>
    public long Batched { get; init; }

    /// <summary>Requests held for the model's next batch, not submitted yet.</summary>
    public int BatchHeld { get; init; }

    /// <summary>The model's batches submitted (or attached to after a resume) whose answers are not in yet.</summary>
    public int BatchesInFlight { get; init; }

    /// <summary>The oldest of those batches: the provider's id, or <see langword="null"/> when none is in flight.</summary>
    public string? BatchId { get; init; }

    /// <summary>The oldest batch's provider (<c>openai</c>, <c>anthropic</c>).</summary>
    public string? BatchProvider { get; init; }

    /// <summary>The oldest batch's phase at its last poll: <c>in_progress</c>, <c>ended</c>, <c>failed</c>, <c>expired</c> or <c>cancelled</c>.</summary>
    public string? BatchPhase { get; init; }

    /// <summary>Requests in the oldest batch.</summary>
    public int BatchRequests { get; init; }

    /// <summary>Requests of the oldest batch answered so far, at its last poll.</summary>
    public int BatchSucceeded { get; init; }

    /// <summary>Requests of the oldest batch that failed, expired or were cancelled, at its last poll.</summary>
    public int BatchErrored { get; init; }

    /// <summary>How long the oldest batch has been waited for since its submission.</summary>
    public TimeSpan? BatchWaiting { get; init; }
}
