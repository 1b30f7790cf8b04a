using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>
/// A provider's batch service in memory, outliving the runs that use it (a resumed run reaches the batches an earlier
/// one submitted): batches are numbered as submitted; how a poll and a request's result come out is scripted per test.
/// A request answered 200 gets a chat completion whose text names its custom id (<c>reply &lt;id&gt;</c>), so a test
/// can check that every answer reached the sample it belongs to.
/// </summary>
internal sealed class FakeBatchServer
{
    private readonly Lock _gate = new();
    private readonly List<FakeBatch> _batches = [];

    public FakeBatchServer() => Result = (_, r) => Ok(r, AnswerPrefix);

    /// <summary>A poll's answer (default: ended, every request answered).</summary>
    public Func<FakeBatch, BatchState> Poll { get; set; } = b => new BatchState(BatchPhase.Ended, b.Requests.Count, b.Requests.Count, 0);

    /// <summary>A request's result, or null for none (default: 200 with a completion).</summary>
    public Func<FakeBatch, BatchRequest, BatchResult?> Result { get; set; }

    /// <summary>Text put before <c>reply &lt;id&gt;</c> in every answer (e.g. a harmful action, so the judge is asked).</summary>
    public string AnswerPrefix { get; set; } = string.Empty;

    /// <summary>Runs inside every poll, before it answers (a test reads the store there).</summary>
    public Action<FakeBatch>? OnPoll { get; set; }

    /// <summary>How a cancel comes out (default: accepted at once); a test makes it fail, or never answer.</summary>
    public Func<FakeBatch, Task> Cancel { get; set; } = _ => Task.CompletedTask;

    /// <summary>Every submission, as it happens.</summary>
    public Channel<FakeBatch> Submissions { get; } = Channel.CreateUnbounded<FakeBatch>();

    /// <summary>Every poll, as it happens.</summary>
    public Channel<FakeBatch> Polls { get; } = Channel.CreateUnbounded<FakeBatch>();

    public IReadOnlyList<FakeBatch> Submitted
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public FakeBatchProtocol Protocol() => new(this);

    public static BatchResult Ok(BatchRequest request, string prefix = "") => new(request.CustomId, 200, Completion($"{prefix}reply {request.CustomId}"));

    public static BatchResult Error(BatchRequest request, int status, string message) =>
        new(request.CustomId, status, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "requests" } }));

    /// <summary>An OpenAI chat completion with the text given.</summary>
    public static byte[] Completion(string text) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["id"] = "chatcmpl-batch",
        ["object"] = "chat.completion",
        ["created"] = 1_741_000_000,
        ["model"] = "gpt-4.1",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 2_000, ["completion_tokens"] = 150, ["total_tokens"] = 2_150 },
    });

    internal string Submit(IReadOnlyList<BatchRequest> requests)
    {
        lock (_gate)
        {
            var batch = new FakeBatch($"batch_fake{_batches.Count + 1:000000}", _batches.Count + 1, [.. requests]);
            _batches.Add(batch);
            Submissions.Writer.TryWrite(batch);
            return batch.Id;
        }
    }

    internal FakeBatch Find(string id)
    {
        lock (_gate)
        {
            return _batches.Single(b => b.Id == id);
        }
    }
}

/// <summary>One submitted batch: its requests as submitted, and how often it was polled.</summary>
internal sealed record FakeBatch(string Id, int Number, IReadOnlyList<BatchRequest> Requests)
{
    private int _polls;

    public int Polls => Volatile.Read(ref _polls);

    private int _cancels;

    public int CountPoll() => Interlocked.Increment(ref _polls);

    /// <summary>How often the batcher asked to cancel it.</summary>
    public int Cancels => Volatile.Read(ref _cancels);

    public int CountCancel() => Interlocked.Increment(ref _cancels);

    public IReadOnlyList<string> CustomIds => [.. Requests.Select(r => r.CustomId)];

    /// <summary>The JSON body of a request, parsed.</summary>
    public static JsonObject BodyOf(BatchRequest request) => JsonNode.Parse(Encoding.UTF8.GetString(request.Body.Span))!.AsObject();
}

/// <summary>The batch protocol of <see cref="FakeBatchServer"/>, as a provider's SDK side would speak it: chat completions are batchable.</summary>
internal sealed class FakeBatchProtocol(FakeBatchServer server) : IBatchProtocol
{
    private int _submits;

    public string Provider => "openai";

    public int MaxRequests { get; init; } = 50_000;

    public long MaxBytes { get; init; } = 200_000_000;

    public int Submits => Volatile.Read(ref _submits);

    public bool IsBatchable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal);

    public Task<string> SubmitAsync(IReadOnlyList<BatchRequest> requests, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _submits);
        return Task.FromResult(server.Submit(requests));
    }

    public Task<BatchState> PollAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = server.Find(batchId);
        batch.CountPoll();
        server.OnPoll?.Invoke(batch);
        server.Polls.Writer.TryWrite(batch);
        return Task.FromResult(server.Poll(batch));
    }

    public Task CancelAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = server.Find(batchId);
        batch.CountCancel();
        return server.Cancel(batch);
    }

    public async IAsyncEnumerable<BatchResult> ResultsAsync(string batchId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = server.Find(batchId);
        foreach (var request in batch.Requests)
        {
            await Task.Yield();
            if (server.Result(batch, request) is { } result)
            {
                yield return result;
            }
        }
    }
}
