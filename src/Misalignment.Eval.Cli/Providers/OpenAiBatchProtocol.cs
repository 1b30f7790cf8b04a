using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Misalignment.Eval.Running;
using OpenAI;
using OpenAI.Batch;
using OpenAI.Files;

namespace Misalignment.Eval.Cli.Providers;

// The SDK marks its Batch and Files clients experimental (OPENAI001): they are protocol-level, and this class reads
// their JSON itself (OpenAiBatchFormat). Nothing of them reaches the library's surface; a change of the SDK breaks the build here only.
#pragma warning disable OPENAI001

/// <summary>
/// OpenAI's Batch API through the OpenAI SDK: the held chat requests become one JSONL input file (uploaded with purpose
/// <c>batch</c>), a batch on <c>/v1/chat/completions</c> with the 24 hour window is created on it, polled, and its output
/// and error files are read back into the responses the online endpoint would have given.
/// </summary>
internal sealed class OpenAiBatchProtocol : IBatchProtocol
{
    /// <summary>The endpoint the batches are created on, and every line's <c>url</c>.</summary>
    public const string Endpoint = "/v1/chat/completions";

    /// <summary>The input file's size limit (200 MB, counted in decimal megabytes to stay under either reading).</summary>
    public const long FileLimit = 200_000_000;

    /// <summary>What a line adds to its body at most: the custom id (64), the method, the url, the JSON around them.</summary>
    private const int LineOverhead = 160;

    private const string Provider = "OpenAI";

    private readonly OpenAIFileClient _files;
    private readonly BatchClient _batches;

    public OpenAiBatchProtocol(OpenAIFileClient files, BatchClient batches)
    {
        _files = files;
        _batches = batches;
    }

    string IBatchProtocol.Provider => "openai";

    public int MaxRequests => 50_000;

    /// <summary>The bodies' share of the file limit, when every one of <see cref="MaxRequests"/> lines has its overhead.</summary>
    public long MaxBytes => FileLimit - ((long)MaxRequests * LineOverhead);

    /// <summary>
    /// The SDK clients of one model spec: the same key and base URL as its chat client, the SDK's retries off (the
    /// batcher retries), the same network timeout. They send straight to the network: the spec's HTTP handlers (the
    /// batcher itself among them) belong to its chat client.
    /// </summary>
    public static OpenAiBatchProtocol Create(ProviderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string key = request.Key ?? throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs an API key in the environment variable {KnownProviders.OpenAi.KeyVariable}.");
        SecretScrubber.Register(key);
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = request.SdkTimeout,
            Endpoint = request.Spec.Endpoint ?? KnownProviders.OpenAi.DefaultEndpoint,
        };
        var client = new OpenAIClient(new ApiKeyCredential(key), options);
        return new OpenAiBatchProtocol(client.GetOpenAIFileClient(), client.GetBatchClient());
    }

    /// <summary>An online chat-completions call (POST, any base-URL prefix); the Files and Batch APIs' own calls are not.</summary>
    public bool IsBatchable(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.TrimEnd('/').EndsWith("/chat/completions", StringComparison.Ordinal) == true;
    }

    public async Task<string> SubmitAsync(IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken)
    {
        BatchProtocolErrors.CheckRequests(requests, MaxRequests);
        byte[] file = OpenAiBatchFormat.InputFile(requests, Endpoint);
        BatchProtocolErrors.CheckSize(file.LongLength, FileLimit, "input file");

        string fileId = await Call("upload the batch input file", async () =>
        {
            using var stream = new MemoryStream(file, writable: false);
            var uploaded = await _files.UploadFileAsync(stream, "misalign-batch.jsonl", FileUploadPurpose.Batch, cancellationToken).ConfigureAwait(false);
            return uploaded.Value.Id;
        }).ConfigureAwait(false);

        var body = new Dictionary<string, string> { ["input_file_id"] = fileId, ["endpoint"] = Endpoint, ["completion_window"] = "24h" };
        return await Call("create the batch", async () =>
        {
            using var content = BinaryContent.Create(BinaryData.FromObjectAsJson(body));
            var operation = await _batches.CreateBatchAsync(content, waitUntilCompleted: false, Options(cancellationToken)).ConfigureAwait(false);
            return operation.BatchId;
        }).ConfigureAwait(false);
    }

    public async Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken)
    {
        using var batch = await BatchAsync(batchId, cancellationToken).ConfigureAwait(false);
        return OpenAiBatchFormat.StateOf(batch.RootElement);
    }

    public async IAsyncEnumerable<BatchResult> ResultsAsync(string batchId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string?[] fileIds;
        using (var batch = await BatchAsync(batchId, cancellationToken).ConfigureAwait(false))
        {
            fileIds = [OpenAiBatchFormat.StringOf(batch.RootElement, "output_file_id"), OpenAiBatchFormat.StringOf(batch.RootElement, "error_file_id")];
        }

        foreach (string? fileId in fileIds)
        {
            if (string.IsNullOrEmpty(fileId))
            {
                continue;
            }

            var content = await Call("download a batch result file", async () =>
                (await _files.DownloadFileAsync(fileId, cancellationToken).ConfigureAwait(false)).Value).ConfigureAwait(false);
            foreach (var result in OpenAiBatchFormat.ResultLines(content.ToMemory()))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return result;
            }
        }
    }

    /// <summary>
    /// POST <c>/v1/batches/{id}/cancel</c>: the batch goes to <c>cancelling</c>, then <c>cancelled</c>. The SDK cancels
    /// through the batch's operation only, which it rehydrates with a read of the batch first.
    /// </summary>
    public async Task CancelAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var operation = await Call("read the batch", () => CreateBatchOperation.RehydrateAsync(_batches, batchId, cancellationToken)).ConfigureAwait(false);
        await Call("cancel the batch", () => operation.CancelAsync(Options(cancellationToken))).ConfigureAwait(false);
    }

    private async Task<JsonDocument> BatchAsync(string batchId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        var result = await Call("read the batch", () => _batches.GetBatchAsync(batchId, Options(cancellationToken))).ConfigureAwait(false);
        return JsonDocument.Parse(result.GetRawResponse().Content);
    }

    private static RequestOptions Options(CancellationToken cancellationToken) => new() { CancellationToken = cancellationToken };

    /// <summary>One SDK call, its refusals turned into the contract's exception with the status and a scrubbed message.</summary>
    private static async Task<T> Call<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ClientResultException e) when (e.Status > 0)
        {
            throw BatchProtocolErrors.Refused(Provider, what, e.Status, e.GetRawResponse()?.Content?.ToString() ?? e.Message);
        }
        catch (ClientResultException e)
        {
            throw BatchProtocolErrors.Unreachable(Provider, what, e.InnerException ?? e);
        }
    }
}
