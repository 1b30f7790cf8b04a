using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// A loopback server speaking Anthropic's Message Batches and the online Messages endpoint (base URL <see cref="Root"/>,
/// like <c>https://api.anthropic.com</c>). Every call needs the key (<c>x-api-key</c>, or a bearer token as the SDK sends it) and <c>anthropic-version</c>. A create is
/// refused with 400 as the API refuses it: no requests or over 100,000, a custom id out of <c>^[a-zA-Z0-9_-]{1,64}$</c>
/// or used twice, params without model, messages or a positive max_tokens, or streaming; over 256 MB is 413. A batch is
/// in_progress until the gate opens, then ended; results before that are refused. A cancel makes a batch in progress
/// canceling, then ended with every request canceled at its next poll; an ended batch refuses it.
/// </summary>
internal sealed partial class FakeAnthropicBatchServer : FakeBatchServer
{
    private readonly ConcurrentDictionary<string, Batch> _batches = new();
    private int _ids;

    private FakeAnthropicBatchServer(WebApplication app, string key) : base(app, key)
    {
        app.MapPost("/v1/messages", OnlineAsync);
        app.MapPost("/v1/messages/batches", CreateAsync);
        app.MapGet("/v1/messages/batches/{id}", (HttpContext c, string id) => Guarded(c, () => RetrieveAsync(c, id)));
        app.MapGet("/v1/messages/batches/{id}/results", (HttpContext c, string id) => Guarded(c, () => ResultsAsync(c, id)));
        app.MapPost("/v1/messages/batches/{id}/cancel", (HttpContext c, string id) => Guarded(c, () => CancelAsync(c, id)));
    }

    public static async Task<FakeAnthropicBatchServer> StartAsync(string key)
    {
        var server = new FakeAnthropicBatchServer(Build(), key);
        await server.StartAsync();
        return server;
    }

    /// <summary>A Messages API reply for a request body, online or in a batch.</summary>
    public JsonObject Message(string id, JsonObject body)
    {
        string answer = Answer(body);
        return new()
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = body["model"]?.GetValue<string>() ?? "unknown",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = answer }),
            ["stop_reason"] = "end_turn",
            ["stop_sequence"] = null,
            ["usage"] = Usage?.Invoke(body, answer) ?? new JsonObject { ["input_tokens"] = 2_100, ["output_tokens"] = 40, ["cache_read_input_tokens"] = 1_800, ["cache_creation_input_tokens"] = 0 },
        };
    }

    /// <summary>The text of a Messages body's last user message (a string, or its text blocks).</summary>
    public static string UserText(JsonObject body) =>
        body["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"] switch
        {
            JsonValue text => text.GetValue<string>(),
            JsonArray blocks => string.Concat(blocks.Select(b => b!["text"]?.GetValue<string>())),
            var other => other?.ToJsonString() ?? string.Empty,
        };

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex CustomId();

    private async Task Guarded(HttpContext context, Func<Task> handle)
    {
        if (await AuthorizedAsync(context))
        {
            await handle();
        }
    }

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        // The SDK (13.14) sends its key as a bearer token; the API also takes it in x-api-key.
        string sent = context.Request.Headers.ContainsKey("x-api-key") ? SentKey(context, "x-api-key") : SentKey(context, "Authorization");
        if (sent == Key && !string.IsNullOrEmpty(context.Request.Headers["anthropic-version"]))
        {
            return true;
        }

        await ErrorAsync(context, 401, sent == Key ? "anthropic-version: header is required" : WrongKey(sent), "authentication_error");
        return false;
    }

    private async Task OnlineAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        CountOnline();
        var body = await ReadObjectAsync(context);
        await (body is null ? ErrorAsync(context, 400, "The request body is not valid JSON.", "invalid_request_error")
            : context.Response.WriteAsJsonAsync(Message($"msg_{Interlocked.Increment(ref _ids)}", body)));
    }

    private async Task CreateAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        if (context.Request.ContentLength > 256_000_000)
        {
            await ErrorAsync(context, 413, "Request exceeds the maximum allowed number of bytes.", "request_too_large");
            return;
        }

        var body = await ReadObjectAsync(context);
        var requests = body?["requests"] as JsonArray;
        string? refusal = requests is null ? "requests: Field required"
            : requests.Count is 0 or > 100_000 ? $"requests: the batch must hold 1 to 100,000 requests, not {requests.Count}"
            : Refusal(requests);
        if (refusal is not null)
        {
            await ErrorAsync(context, 400, refusal, "invalid_request_error");
            return;
        }

        var batch = new Batch($"msgbatch_{Guid.NewGuid():N}", [.. requests!.Select(r => r!.AsObject())]);
        _batches[batch.Id] = batch;
        CountCreation();
        await context.Response.WriteAsJsonAsync(batch.Json(Root));
    }

    /// <summary>Why the API would refuse the requests, or <see langword="null"/>.</summary>
    private static string? Refusal(JsonArray requests)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < requests.Count; i++)
        {
            if (requests[i] is not JsonObject request || request["custom_id"] is not JsonValue id || !CustomId().IsMatch(id.ToString()))
            {
                return $"requests.{i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'";
            }

            if (!ids.Add(id.ToString()))
            {
                return $"requests.{i}.custom_id: Duplicate custom_id '{id}'. Each request in a batch must have a unique custom_id.";
            }

            if (request["params"] is not JsonObject p)
            {
                return $"requests.{i}.params: Field required";
            }

            string? field = p["model"] is not JsonValue ? "model" : p["messages"] is not JsonArray { Count: > 0 } ? "messages"
                : p["max_tokens"] is not JsonValue max || !max.TryGetValue(out int tokens) || tokens < 1 ? "max_tokens" : null;
            if (field is not null)
            {
                return $"requests.{i}.params.{field}: Field required or invalid";
            }

            if (p["stream"] is JsonValue stream && stream.TryGetValue(out bool streaming) && streaming)
            {
                return $"requests.{i}.params.stream: streaming is not supported in a batch";
            }
        }

        return null;
    }

    private async Task RetrieveAsync(HttpContext context, string id)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            await ErrorAsync(context, 404, $"message_batch not found: {id}", "not_found_error");
            return;
        }

        CountPoll();
        JsonObject json;
        lock (batch)
        {
            batch.Polls++;
            if (batch.Results is null && (batch.Canceling || Ends(batch.Polls)))
            {
                Finish(batch);
            }

            json = batch.Json(Root);
        }

        await context.Response.WriteAsJsonAsync(json);
    }

    /// <summary>A batch in progress goes to canceling (ended, every request canceled, at its next poll); an ended one is refused with 400.</summary>
    private async Task CancelAsync(HttpContext context, string id)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            await ErrorAsync(context, 404, $"message_batch not found: {id}", "not_found_error");
            return;
        }

        JsonObject? json = null;
        lock (batch)
        {
            if (batch.Results is null)
            {
                batch.Canceling = true;
                json = batch.Json(Root);
            }
        }

        if (json is null)
        {
            await ErrorAsync(context, 400, $"Batch {id} has already ended and cannot be canceled.", "invalid_request_error");
            return;
        }

        CountCancel();
        await context.Response.WriteAsJsonAsync(json);
    }

    private async Task ResultsAsync(HttpContext context, string id)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            await ErrorAsync(context, 404, $"message_batch not found: {id}", "not_found_error");
            return;
        }

        string? results;
        lock (batch)
        {
            results = batch.Results;
        }

        if (results is null)
        {
            await ErrorAsync(context, 400, $"Batch {id} has not finished processing; its results are not available yet.", "invalid_request_error");
            return;
        }

        context.Response.ContentType = "application/binary";
        await context.Response.WriteAsync(results);
    }

    /// <summary>Answers every request of the batch and ends it.</summary>
    private void Finish(Batch batch)
    {
        var lines = new StringBuilder();
        foreach (var request in batch.Requests)
        {
            string customId = request["custom_id"]!.GetValue<string>();
            var body = request["params"]!.AsObject();
            BatchedBodies.Enqueue(body);
            var fault = batch.Canceling ? LineFault.Canceled : Faults(customId, body);
            (string? type, string? error) = fault switch
            {
                LineFault.None => ("succeeded", null),
                LineFault.InvalidRequest => ("errored", "invalid_request_error"),
                LineFault.RateLimited => ("errored", "rate_limit_error"),
                LineFault.ServerError => ("errored", "api_error"),
                LineFault.Overloaded => ("errored", "overloaded_error"),
                LineFault.Expired => ("expired", null),
                _ => ("canceled", null),
            };
            var result = new JsonObject { ["type"] = type };
            if (type == "succeeded")
            {
                result["message"] = Message($"msg_{batch.Id}_{customId}", body);
            }
            else if (error is not null)
            {
                result["error"] = ErrorBody($"The request {customId} failed.", error);
            }

            batch.Counts[type!] = batch.Counts.GetValueOrDefault(type!) + 1;
            lines.Append(new JsonObject { ["custom_id"] = customId, ["result"] = result }.ToJsonString()).Append('\n');
        }

        batch.Results = lines.ToString();
    }

    private static JsonObject ErrorBody(string message, string type) =>
        new() { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } };

    private static async Task ErrorAsync(HttpContext context, int status, string message, string type)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(ErrorBody(message, type));
    }

    private sealed class Batch(string id, List<JsonObject> requests)
    {
        public string Id { get; } = id;

        public List<JsonObject> Requests { get; } = requests;

        public int Polls { get; set; }

        public string? Results { get; set; }

        public bool Canceling { get; set; }

        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public JsonObject Json(string root) => new()
        {
            ["id"] = Id,
            ["type"] = "message_batch",
            ["processing_status"] = Results is not null ? "ended" : Canceling ? "canceling" : "in_progress",
            ["request_counts"] = new JsonObject
            {
                ["processing"] = Results is null ? Requests.Count : 0,
                ["succeeded"] = Counts.GetValueOrDefault("succeeded"),
                ["errored"] = Counts.GetValueOrDefault("errored"),
                ["canceled"] = Counts.GetValueOrDefault("canceled"),
                ["expired"] = Counts.GetValueOrDefault("expired"),
            },
            ["ended_at"] = Results is null ? null : "2025-03-14T10:00:00Z",
            ["created_at"] = "2025-03-13T10:00:00Z",
            ["expires_at"] = "2025-03-14T10:00:00Z",
            ["archived_at"] = null,
            ["cancel_initiated_at"] = Canceling ? "2025-03-13T11:00:00Z" : null,
            ["results_url"] = Results is null ? null : $"{root}/v1/messages/batches/{Id}/results",
        };
    }
}
