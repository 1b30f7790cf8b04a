namespace Misalignment.Eval.Running;

/// <summary>
/// A provider's batch API as the batcher sees it: the online chat requests an SDK would have sent are held, submitted
/// together as one batch, polled, and each answered with the body the online endpoint would have returned, so the
/// SDK, the response mapping and everything after it run exactly as they do online.
/// </summary>
/// <remarks>
/// Implementations live with the SDKs (the CLI's providers: OpenAI's Batch API through the OpenAI SDK, Anthropic's
/// Message Batches through the Anthropic SDK). They are called from one batcher per client, never concurrently for
/// the same batch id.
/// </remarks>
internal interface IBatchProtocol
{
    /// <summary>The provider's name, as the store and the progress display write it (<c>openai</c>, <c>anthropic</c>).</summary>
    string Provider { get; }

    /// <summary>The most requests one batch may hold (OpenAI 50,000; Anthropic 100,000).</summary>
    int MaxRequests { get; }

    /// <summary>The most bytes of request bodies one batch may hold (OpenAI: a 200 MB input file; Anthropic: 256 MB).</summary>
    long MaxBytes { get; }

    /// <summary>Whether an outgoing request is an online call the batch API can answer (not a call of the batch API itself).</summary>
    bool IsBatchable(HttpRequestMessage request);

    /// <summary>Submits the requests as one batch and returns the provider's batch id.</summary>
    /// <exception cref="HttpRequestException">The provider refused the batch; <see cref="HttpRequestException.StatusCode"/> says how.</exception>
    Task<string> SubmitAsync(IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken);

    /// <summary>The batch's state now.</summary>
    Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>The per-request results of an ended batch (in any order; a request may be missing).</summary>
    IAsyncEnumerable<BatchResult> ResultsAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the provider to cancel a batch the batcher gave up (past its deadline, or no longer pollable), so it is not
    /// billed for requests that go into a new batch. Completes once the provider accepted the cancel (the batch may
    /// still be cancelling); the batcher calls it once, bounded, without waiting for it, and ignores its failure.
    /// </summary>
    /// <exception cref="HttpRequestException">The provider refused the cancel (e.g. the batch had ended) or could not be reached.</exception>
    Task CancelAsync(string batchId, CancellationToken cancellationToken);
}

/// <summary>One held request.</summary>
/// <param name="CustomId">The id the batch carries it under (at most 64 of <c>[A-Za-z0-9_-]</c>, as Anthropic requires).</param>
/// <param name="Path">The request's path as sent (<c>/v1/chat/completions</c>, <c>/v1/messages</c>); OpenAI's batch line names it as its <c>url</c>.</param>
/// <param name="Body">The JSON body the SDK would have sent online.</param>
internal sealed record BatchRequest(string CustomId, string Path, ReadOnlyMemory<byte> Body);

/// <summary>Where a batch is.</summary>
internal enum BatchPhase
{
    /// <summary>Validating, queued or processing.</summary>
    InProgress,

    /// <summary>Done: its results can be read.</summary>
    Ended,

    /// <summary>The provider failed the whole batch (e.g. its input file did not validate); no results.</summary>
    Failed,

    /// <summary>The provider's window passed before it finished; the results it has can be read, the rest expired.</summary>
    Expired,

    /// <summary>Cancelled; the results it has can be read.</summary>
    Cancelled,
}

/// <summary>A batch's state at one poll.</summary>
/// <param name="Phase">Where it is.</param>
/// <param name="Total">Requests in it.</param>
/// <param name="Succeeded">Requests answered.</param>
/// <param name="Errored">Requests that failed, expired or were cancelled.</param>
/// <param name="Message">The provider's words on a failed batch, if any.</param>
internal sealed record BatchState(BatchPhase Phase, int Total, int Succeeded, int Errored, string? Message = null);

/// <summary>One request's result, as the online endpoint would have answered it.</summary>
/// <param name="CustomId">The request's custom id.</param>
/// <param name="StatusCode">The HTTP status the online call would have had: 200 with the completion or message; for a per-request error its status (an Anthropic error type mapped to its HTTP status; an expired or cancelled request 503, so it is retried).</param>
/// <param name="Body">The JSON body: the chat completion or message for 200, the provider's error object otherwise.</param>
internal sealed record BatchResult(string CustomId, int StatusCode, ReadOnlyMemory<byte> Body);
