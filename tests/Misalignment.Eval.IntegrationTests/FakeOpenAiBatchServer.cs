using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// A loopback server speaking OpenAI's Files and Batch APIs and the online chat-completions endpoint (base URL
/// <see cref="BaseUrl"/>, like <c>https://api.openai.com/v1</c>). An upload must be multipart with purpose <c>batch</c>
/// and a <c>.jsonl</c> name; a create must name a known batch file, <c>/v1/chat/completions</c> and <c>24h</c>. The
/// file is then validated as the API does, and a bad one fails the batch (a line that is not JSON, a missing field, a
/// method other than POST, a url other than the batch's endpoint, a duplicate custom id, two models, over 50,000 lines
/// or 200 MB). A batch goes validating, in_progress, (gate) finalizing, then completed, or expired when a request
/// expired; successes go to the output file, the rest to the error file. A cancel makes a running batch cancelling,
/// then cancelled at its next poll (no results); an ended batch refuses it.
/// </summary>
internal sealed class FakeOpenAiBatchServer : FakeBatchServer
{
    private readonly ConcurrentDictionary<string, (string Purpose, byte[] Content)> _files = new();
    private readonly ConcurrentDictionary<string, Batch> _batches = new();
    private int _ids;

    private FakeOpenAiBatchServer(WebApplication app, string key) : base(app, key)
    {
        app.MapPost("/v1/chat/completions", OnlineAsync);
        app.MapPost("/v1/files", UploadAsync);
        app.MapGet("/v1/files/{id}/content", (HttpContext c, string id) => Guarded(c, () => DownloadAsync(c, id)));
        app.MapPost("/v1/batches", CreateAsync);
        app.MapGet("/v1/batches/{id}", (HttpContext c, string id) => Guarded(c, () => RetrieveAsync(c, id)));
        app.MapPost("/v1/batches/{id}/cancel", (HttpContext c, string id) => Guarded(c, () => CancelAsync(c, id)));
    }

    public string BaseUrl => Root + "/v1";

    /// <summary>When set, every batch that validates fails with this message (as when the enqueued token limit is reached).</summary>
    public string? FailBatchesWith { get; set; }

    public static async Task<FakeOpenAiBatchServer> StartAsync(string key)
    {
        var server = new FakeOpenAiBatchServer(Build(), key);
        await server.StartAsync();
        return server;
    }

    /// <summary>An online chat completion for a request body, as the batch answers it too.</summary>
    public JsonObject Completion(string id, JsonObject body)
    {
        string answer = Answer(body);
        return new()
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = 1_741_000_000,
            ["model"] = body["model"]?.GetValue<string>() ?? "unknown",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = Usage?.Invoke(body, answer) ?? new JsonObject { ["prompt_tokens"] = 2_000, ["completion_tokens"] = 150, ["total_tokens"] = 2_150 },
        };
    }

    private async Task Guarded(HttpContext context, Func<Task> handle)
    {
        if (await AuthorizedAsync(context))
        {
            await handle();
        }
    }

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        string sent = SentKey(context, "Authorization");
        if (sent == Key)
        {
            return true;
        }

        await ErrorAsync(context, 401, WrongKey(sent), "invalid_request_error", "invalid_api_key");
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
        await (body is null ? ErrorAsync(context, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null)
            : context.Response.WriteAsJsonAsync(Completion($"chatcmpl-{Interlocked.Increment(ref _ids)}", body)));
    }

    private async Task UploadAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, 400, "The request must be multipart/form-data.", "invalid_request_error", null);
            return;
        }

        var form = await context.Request.ReadFormAsync();
        string purpose = form["purpose"].ToString();
        var file = form.Files.GetFile("file");
        if (file is null || string.IsNullOrEmpty(purpose))
        {
            await ErrorAsync(context, 400, $"Missing required parameter: '{(file is null ? "file" : "purpose")}'.", "invalid_request_error", "missing_required_parameter");
            return;
        }

        if (purpose == "batch" && !file.FileName.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "Files with purpose 'batch' must be .jsonl.", "invalid_request_error", "invalid_file_format");
            return;
        }

        using var content = new MemoryStream();
        await file.CopyToAsync(content);
        string id = $"file-{Interlocked.Increment(ref _ids)}";
        _files[id] = (purpose, content.ToArray());
        await context.Response.WriteAsJsonAsync(FileObject(id, file.FileName, purpose, content.Length));
    }

    private async Task DownloadAsync(HttpContext context, string id)
    {
        if (!_files.TryGetValue(id, out var file))
        {
            await ErrorAsync(context, 404, $"No such File object: {id}", "invalid_request_error", null);
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(file.Content);
    }

    private async Task CreateAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var body = await ReadObjectAsync(context);
        string? missing = body is null ? "input_file_id" : new[] { "input_file_id", "endpoint", "completion_window" }.FirstOrDefault(f => body[f] is not JsonValue);
        if (missing is not null)
        {
            await ErrorAsync(context, 400, $"Missing required parameter: '{missing}'.", "invalid_request_error", "missing_required_parameter");
            return;
        }

        string fileId = body!["input_file_id"]!.ToString(), endpoint = body["endpoint"]!.ToString(), window = body["completion_window"]!.ToString();
        string? refusal = endpoint != "/v1/chat/completions" ? $"Invalid value for 'endpoint': '{endpoint}'."
            : window != "24h" ? $"Invalid value for 'completion_window': '{window}'. Supported values are: '24h'."
            : !_files.TryGetValue(fileId, out var file) ? $"Invalid 'input_file_id': '{fileId}'. File not found."
            : file.Purpose != "batch" ? $"The file '{fileId}' was not uploaded with purpose 'batch'."
            : null;
        if (refusal is not null)
        {
            await ErrorAsync(context, 400, refusal, "invalid_request_error", "invalid_value");
            return;
        }

        var batch = new Batch($"batch_{Guid.NewGuid():N}", fileId, Validate(_files[fileId].Content, out var lines), lines);
        _batches[batch.Id] = batch;
        CountCreation();
        await context.Response.WriteAsJsonAsync(batch.Json());
    }

    private async Task RetrieveAsync(HttpContext context, string id)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            await ErrorAsync(context, 404, $"No batch found with id '{id}'.", "invalid_request_error", null);
            return;
        }

        CountPoll();
        JsonObject json;
        lock (batch)
        {
            Advance(batch);
            json = batch.Json();
        }

        await context.Response.WriteAsJsonAsync(json);
    }

    /// <summary>A running batch goes to cancelling (cancelled at its next poll); an ended one is refused with 400, as the API does.</summary>
    private async Task CancelAsync(HttpContext context, string id)
    {
        if (!_batches.TryGetValue(id, out var batch))
        {
            await ErrorAsync(context, 404, $"No batch found with id '{id}'.", "invalid_request_error", null);
            return;
        }

        JsonObject? json = null;
        string status;
        lock (batch)
        {
            status = batch.Status;
            if (status is "validating" or "in_progress" or "finalizing")
            {
                batch.Status = "cancelling";
                json = batch.Json();
            }
        }

        if (json is null)
        {
            await ErrorAsync(context, 400, $"Cannot cancel a batch with status '{status}'.", "invalid_request_error", null);
            return;
        }

        CountCancel();
        await context.Response.WriteAsJsonAsync(json);
    }

    /// <summary>One poll's step: validating, in_progress, then (gate open) finalizing, then completed or expired.</summary>
    private void Advance(Batch batch)
    {
        batch.Polls++;
        if (batch.Status == "validating")
        {
            batch.Status = batch.Errors.Count > 0 || FailBatchesWith is not null ? "failed" : "in_progress";
            if (batch.Errors.Count == 0 && FailBatchesWith is { } message)
            {
                batch.Errors.Add(new JsonObject { ["code"] = "token_limit_exceeded", ["message"] = message, ["line"] = null });
            }
        }
        else if (batch.Status == "in_progress" && Ends(batch.Polls))
        {
            batch.Status = "finalizing";
        }
        else if (batch.Status == "finalizing")
        {
            Finish(batch);
        }
        else if (batch.Status == "cancelling")
        {
            batch.Status = "cancelled";
        }
    }

    /// <summary>Answers every request: successes to the output file, the others to the error file.</summary>
    private void Finish(Batch batch)
    {
        StringBuilder output = new(), errors = new();
        bool expired = false;
        foreach (var (line, index) in batch.Lines.Select((l, i) => (l, i)))
        {
            string customId = line["custom_id"]!.GetValue<string>();
            var body = line["body"]!.AsObject();
            BatchedBodies.Enqueue(body);
            var fault = Faults(customId, body);
            expired |= fault == LineFault.Expired;
            var result = new JsonObject { ["id"] = $"batch_req_{index}", ["custom_id"] = customId, ["response"] = null, ["error"] = null };
            (int status, string type, string? code) = fault switch
            {
                LineFault.InvalidRequest => (400, "invalid_request_error", (string?)null),
                LineFault.RateLimited => (429, "requests", "rate_limit_exceeded"),
                LineFault.ServerError => (500, "server_error", null),
                LineFault.Overloaded => (503, "server_error", "server_is_overloaded"),
                _ => (200, string.Empty, null),
            };
            if (fault is LineFault.Expired or LineFault.Canceled)
            {
                string what = fault == LineFault.Expired ? "expired" : "cancelled";
                result["error"] = new JsonObject { ["code"] = $"batch_{what}", ["message"] = $"This request could not be executed before the batch was {what}." };
            }
            else
            {
                var reply = status == 200 ? Completion($"chatcmpl-{batch.Id}-{index}", body) : ErrorBody($"The request {customId} failed.", type, code);
                result["response"] = new JsonObject { ["status_code"] = status, ["request_id"] = $"req_{index}", ["body"] = reply };
            }

            (status == 200 && result["error"] is null ? output : errors).Append(result.ToJsonString()).Append('\n');
            batch.Completed += status == 200 && result["error"] is null ? 1 : 0;
            batch.Failed += result["response"] is not null && status != 200 ? 1 : 0;
        }

        batch.OutputFileId = Store(batch, output, "output");
        batch.ErrorFileId = Store(batch, errors, "errors");
        batch.Status = expired ? "expired" : "completed";
    }

    private string? Store(Batch batch, StringBuilder lines, string what)
    {
        if (lines.Length == 0)
        {
            return null;
        }

        string id = $"file-{batch.Id}-{what}";
        _files[id] = ("batch_output", Encoding.UTF8.GetBytes(lines.ToString()));
        return id;
    }

    /// <summary>The input file's lines, and the errors of those that the API would not take.</summary>
    private static List<JsonObject> Validate(byte[] content, out List<JsonObject> lines)
    {
        var errors = new List<JsonObject>();
        lines = [];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var models = new HashSet<string>(StringComparer.Ordinal);
        string[] raw = Encoding.UTF8.GetString(content).Split('\n');
        void Error(string code, string message, int? line) => errors.Add(new JsonObject { ["code"] = code, ["message"] = message, ["line"] = line });
        if (content.Length > 200_000_000)
        {
            Error("file_too_large", "The input file is larger than 200 MB.", null);
        }

        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i].Length == 0 && i == raw.Length - 1)
            {
                break;
            }

            JsonObject? line;
            try
            {
                line = JsonNode.Parse(raw[i]) as JsonObject;
            }
            catch (JsonException)
            {
                line = null;
            }

            string? missing = line is null ? null : new[] { "custom_id", "method", "url", "body" }.FirstOrDefault(f => line[f] is null);
            if (line is null || missing is not null)
            {
                Error(line is null ? "invalid_json_line" : "missing_required_parameter", line is null ? "This line is not valid JSON." : $"Missing required parameter: '{missing}'.", i + 1);
                continue;
            }

            string? customId = (line["custom_id"] as JsonValue)?.ToString();
            if (string.IsNullOrEmpty(customId) || !ids.Add(customId))
            {
                Error("duplicate_custom_id", $"The custom_id '{customId}' is empty or used on more than one line.", i + 1);
            }
            else if (line["method"]!.ToString() != "POST" || line["url"]!.ToString() != "/v1/chat/completions")
            {
                Error("invalid_url", "The line's method must be POST and its url the batch's endpoint, /v1/chat/completions.", i + 1);
            }
            else if (line["body"] is not JsonObject body || body["model"] is not JsonValue model)
            {
                Error("missing_required_parameter", "The line's body is not an object with a model.", i + 1);
            }
            else if (models.Add(model.ToString()) && models.Count > 1)
            {
                Error("mismatched_model", "All requests in a batch must use the same model.", i + 1);
            }

            lines.Add(line);
        }

        if (lines.Count > 50_000)
        {
            Error("too_many_requests", "The input file has more than 50,000 requests.", null);
        }

        return errors;
    }

    private static JsonObject FileObject(string id, string name, string purpose, long bytes) => new()
    {
        ["id"] = id,
        ["object"] = "file",
        ["bytes"] = bytes,
        ["created_at"] = 1_741_000_000,
        ["filename"] = name,
        ["purpose"] = purpose,
        ["status"] = "processed",
        ["status_details"] = null,
    };

    private static JsonObject ErrorBody(string message, string type, string? code) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } };

    private static async Task ErrorAsync(HttpContext context, int status, string message, string type, string? code)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(ErrorBody(message, type, code));
    }

    private sealed class Batch(string id, string inputFileId, List<JsonObject> errors, List<JsonObject> lines)
    {
        public string Id { get; } = id;

        public List<JsonObject> Errors { get; } = errors;

        public List<JsonObject> Lines { get; } = lines;

        public string Status { get; set; } = "validating";

        public int Polls { get; set; }

        public int Completed { get; set; }

        public int Failed { get; set; }

        public string? OutputFileId { get; set; }

        public string? ErrorFileId { get; set; }

        public JsonObject Json() => new()
        {
            ["id"] = Id,
            ["object"] = "batch",
            ["endpoint"] = "/v1/chat/completions",
            ["errors"] = Errors.Count == 0 ? null : new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. Errors.Select(e => e.DeepClone())]) },
            ["input_file_id"] = inputFileId,
            ["completion_window"] = "24h",
            ["status"] = Status,
            ["output_file_id"] = OutputFileId,
            ["error_file_id"] = ErrorFileId,
            ["created_at"] = 1_741_000_000,
            ["expires_at"] = 1_741_086_400,
            ["request_counts"] = new JsonObject { ["total"] = Status == "validating" ? 0 : Lines.Count, ["completed"] = Completed, ["failed"] = Failed },
            ["metadata"] = null,
        };
    }
}
