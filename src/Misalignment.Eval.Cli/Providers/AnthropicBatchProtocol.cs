using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages.Batches;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// Anthropic's Message Batches through the Anthropic SDK: each held <c>/v1/messages</c> body becomes one request's
/// <c>params</c> as it is (system, messages, max_tokens, temperature, thinking, tools, cache_control and whatever else the
/// online call had), the batch is created, polled, and its results are streamed back as the responses the online
/// endpoint would have given.
/// </summary>
/// <remarks>
/// Formats relied on (Anthropic's Message Batches API reference and the SDK's models): a batch is <c>{requests:
/// [{custom_id, params}]}</c>; its <c>processing_status</c> is <c>in_progress</c>, <c>canceling</c> or <c>ended</c>, with
/// <c>request_counts {processing, succeeded, errored, canceled, expired}</c>; a result line is <c>{custom_id, result:
/// {type: succeeded, message} | {type: errored, error: {type: "error", error: {type, message}}} | {type: canceled} |
/// {type: expired}}</c>, the errored result's <c>error</c> being the very body the online call would have failed with.
/// </remarks>
internal sealed class AnthropicBatchProtocol : IBatchProtocol
{
    /// <summary>The size limit of one create request (256 MB, counted in decimal megabytes to stay under either reading).</summary>
    public const long RequestLimit = 256_000_000;

    /// <summary>What a request adds to its params at most: the custom id (64) and the JSON around it.</summary>
    private const int RequestOverhead = 128;

    private const string Provider = "Anthropic";

    private readonly IAnthropicClient _client;

    public AnthropicBatchProtocol(IAnthropicClient client) => _client = client;

    string IBatchProtocol.Provider => "anthropic";

    public int MaxRequests => 100_000;

    /// <summary>The params' share of the request limit, when every one of <see cref="MaxRequests"/> requests has its overhead.</summary>
    public long MaxBytes => RequestLimit - ((long)MaxRequests * RequestOverhead);

    /// <summary>
    /// The SDK client of one model spec: the same key and base URL as its chat client, the SDK's retries off (the
    /// batcher retries), the same timeout. It sends straight to the network: the spec's HTTP handlers (the batcher
    /// itself among them) belong to its chat client.
    /// </summary>
    public static AnthropicBatchProtocol Create(ProviderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string key = request.Key ?? throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs an API key in the environment variable {KnownProviders.Anthropic.KeyVariable}.");
        SecretScrubber.Register(key);
        string baseUrl = (request.Spec.Endpoint ?? KnownProviders.Anthropic.DefaultEndpoint!).ToString().TrimEnd('/');
        return new AnthropicBatchProtocol(new AnthropicClient { ApiKey = key, MaxRetries = 0, Timeout = request.SdkTimeout, BaseUrl = baseUrl });
    }

    /// <summary>
    /// An online Messages call: POST to <c>.../v1/messages</c>, not <c>.../messages/batches</c> or
    /// <c>.../messages/count_tokens</c>. A beta call (<c>?beta=true</c> or an <c>anthropic-beta</c> header) stays online:
    /// a batch request has params only, and would lose the beta its body may need.
    /// </summary>
    public bool IsBatchable(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == HttpMethod.Post
            && request.RequestUri?.AbsolutePath.TrimEnd('/').EndsWith("/v1/messages", StringComparison.Ordinal) == true
            && !request.RequestUri.Query.Contains("beta=", StringComparison.Ordinal)
            && !request.Headers.Contains("anthropic-beta");
    }

    public async Task<string> SubmitAsync(IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken)
    {
        BatchProtocolErrors.CheckRequests(requests, MaxRequests);
        long size = requests.Sum(r => (long)r.Body.Length + RequestOverhead);
        BatchProtocolErrors.CheckSize(size, RequestLimit, "create request");
        var parameters = new BatchCreateParams { Requests = [.. requests.Select(RequestOf)] };
        var batch = await Call("create the batch", () => _client.Messages.Batches.Create(parameters, cancellationToken)).ConfigureAwait(false);
        return batch.ID;
    }

    public async Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var batch = await Call("read the batch", () => _client.Messages.Batches.Retrieve(batchId, null, cancellationToken)).ConfigureAwait(false);
        return StateOf(batch.RawData);
    }

    public async IAsyncEnumerable<BatchResult> ResultsAsync(string batchId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        await using var lines = _client.Messages.Batches.ResultsStreaming(batchId, null, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            // The first step sends the request: a refusal surfaces here, as the contract's exception.
            if (!await Call("read the batch's results", async () => await lines.MoveNextAsync().ConfigureAwait(false)).ConfigureAwait(false))
            {
                yield break;
            }

            if (ResultOf(lines.Current.RawData) is { } result)
            {
                yield return result;
            }
        }
    }

    /// <summary>POST <c>/v1/messages/batches/{id}/cancel</c>: the batch goes to <c>canceling</c>, then ends.</summary>
    public async Task CancelAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        await Call("cancel the batch", () => _client.Messages.Batches.Cancel(batchId, null, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>One request of the batch: the online body's fields, each as the SDK wrote it, as its params.</summary>
    /// <exception cref="ArgumentException">The body is not a JSON object.</exception>
    internal static Request RequestOf(BatchRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Request '{request.CustomId}' has a body that is not a JSON object.", nameof(request));
        }

        var fields = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        return new Request { CustomID = request.CustomId, Params = Params.FromRawUnchecked(fields) };
    }

    /// <summary>The batch's processing status and counts as the contract names them.</summary>
    internal static BatchState StateOf(IReadOnlyDictionary<string, JsonElement> batch)
    {
        string status = batch.TryGetValue("processing_status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        int processing = 0, succeeded = 0, errored = 0, canceled = 0, expired = 0;
        if (batch.TryGetValue("request_counts", out var counts) && counts.ValueKind == JsonValueKind.Object)
        {
            processing = IntOf(counts, "processing");
            succeeded = IntOf(counts, "succeeded");
            errored = IntOf(counts, "errored");
            canceled = IntOf(counts, "canceled");
            expired = IntOf(counts, "expired");
        }

        int total = processing + succeeded + errored + canceled + expired;
        int failed = errored + canceled + expired;
        bool cancelInitiated = batch.TryGetValue("cancel_initiated_at", out var c) && c.ValueKind == JsonValueKind.String;

        // The API has no failed or expired batch: one ends, and its requests say what became of them.
        return status switch
        {
            "ended" when cancelInitiated => new BatchState(BatchPhase.Cancelled, total, succeeded, failed),
            "ended" when expired > 0 => new BatchState(BatchPhase.Expired, total, succeeded, failed),
            "ended" => new BatchState(BatchPhase.Ended, total, succeeded, failed),
            "in_progress" or "canceling" => new BatchState(BatchPhase.InProgress, total, succeeded, failed),
            _ => new BatchState(BatchPhase.InProgress, total, succeeded, failed, $"Unknown processing status '{status}'."),
        };
    }

    /// <summary>One result line as the online endpoint would have answered its request.</summary>
    internal static BatchResult? ResultOf(IReadOnlyDictionary<string, JsonElement> line)
    {
        if (!line.TryGetValue("custom_id", out var id) || id.ValueKind != JsonValueKind.String
            || !line.TryGetValue("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string customId = id.GetString()!;
        string type = result.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        switch (type)
        {
            case "succeeded" when result.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object:
                return new BatchResult(customId, 200, JsonSerializer.SerializeToUtf8Bytes(message));
            case "errored" when result.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object:
                return new BatchResult(customId, StatusOf(ErrorType(error)), JsonSerializer.SerializeToUtf8Bytes(error));
            case "canceled" or "expired":
                return new BatchResult(customId, 503, Error("api_error", $"The request was {type} in the batch before it ran."));
            default:
                return new BatchResult(customId, 500, Error("api_error", $"The batch gave the request a result of type '{type}'."));
        }
    }

    /// <summary>The HTTP status the online call answers an error type with (Anthropic's API errors page).</summary>
    internal static int StatusOf(string? errorType) => errorType switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "api_error" => 500,
        "timeout_error" => 504,
        "overloaded_error" => 529,
        _ => 500,
    };

    /// <summary>The type of an error response <c>{type: "error", error: {type, message}}</c> (or of a bare error object).</summary>
    private static string? ErrorType(JsonElement error)
    {
        var inner = error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : error;
        return inner.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
    }

    private static byte[] Error(string type, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type = "error", error = new { type, message } });

    /// <summary>One SDK call, its refusals turned into the contract's exception with the status and a scrubbed message.</summary>
    private static async Task<T> Call<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AnthropicApiException e)
        {
            throw BatchProtocolErrors.Refused(Provider, what, (int)e.StatusCode, string.IsNullOrEmpty(e.ResponseBody) ? e.Message : e.ResponseBody);
        }
        catch (AnthropicIOException e)
        {
            throw BatchProtocolErrors.Unreachable(Provider, what, e.InnerException is { } inner ? inner : e);
        }
    }

    private static int IntOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : 0;
}
