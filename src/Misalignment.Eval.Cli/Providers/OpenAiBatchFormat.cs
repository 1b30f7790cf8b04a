using System.Buffers;
using System.Text;
using System.Text.Json;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>The JSON of OpenAI's Batch API: the input file written from held requests, and the batch object and result files read.</summary>
/// <remarks>
/// Formats relied on (OpenAI's Batch guide and API reference): an input line is <c>{custom_id, method, url, body}</c>
/// with <c>url</c> the endpoint as the API names it (<c>/v1/chat/completions</c>, whatever prefix a base URL has); an
/// output or error line is <c>{id, custom_id, response: {status_code, request_id, body} | null, error: {code,
/// message} | null}</c>; requests left when a batch expires or is cancelled are written to the error file with
/// <c>response: null</c> and the codes <c>batch_expired</c> / <c>batch_cancelled</c>.
/// </remarks>
internal static class OpenAiBatchFormat
{
    /// <summary>The JSONL input file: one line per request, its body as the SDK wrote it.</summary>
    /// <exception cref="ArgumentException">A request is not a chat-completions call, or its body is not a JSON object.</exception>
    internal static byte[] InputFile(IReadOnlyList<BatchRequest> requests, string endpoint)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var request in requests)
        {
            if (!request.Path.TrimEnd('/').EndsWith("/chat/completions", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Request '{request.CustomId}' is for {request.Path}; a batch here holds chat completions only.", nameof(requests));
            }

            writer.Reset();
            writer.WriteStartObject();
            writer.WriteString("custom_id", request.CustomId);
            writer.WriteString("method", "POST");
            writer.WriteString("url", endpoint);
            writer.WritePropertyName("body");
            WriteBody(writer, request);
            writer.WriteEndObject();
            writer.Flush();
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The body verbatim; only one with a line break between its tokens (JSONL's separator) is written again without
    /// them. Raw JSON strings cannot hold a bare line break, so the bytes that matter stay as they were.
    /// </summary>
    private static void WriteBody(Utf8JsonWriter writer, BatchRequest request)
    {
        var body = request.Body.Span;
        if (body.IndexOfAny((byte)'\n', (byte)'\r') < 0 && JsonValueKindOf(body) == JsonValueKind.Object)
        {
            writer.WriteRawValue(body, skipInputValidation: false);
            return;
        }

        using var json = JsonDocument.Parse(request.Body);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Request '{request.CustomId}' has a body that is not a JSON object.");
        }

        json.RootElement.WriteTo(writer);
    }

    private static JsonValueKind JsonValueKindOf(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? JsonValueKind.Object : JsonValueKind.Undefined;
    }

    /// <summary>The batch object's status and counts as the contract names them.</summary>
    internal static BatchState StateOf(JsonElement batch)
    {
        string status = StringOf(batch, "status") ?? string.Empty;
        int total = 0, completed = 0, failed = 0;
        if (batch.TryGetProperty("request_counts", out var counts) && counts.ValueKind == JsonValueKind.Object)
        {
            total = IntOf(counts, "total");
            completed = IntOf(counts, "completed");
            failed = IntOf(counts, "failed");
        }

        // An expired or cancelled batch counts its unfinished requests in neither field; they are lost all the same.
        return status switch
        {
            "completed" => new BatchState(BatchPhase.Ended, total, completed, failed),
            "failed" => new BatchState(BatchPhase.Failed, total, completed, failed, ErrorsOf(batch) ?? "The batch failed."),
            "expired" => new BatchState(BatchPhase.Expired, total, completed, Math.Max(failed, total - completed)),
            "cancelled" => new BatchState(BatchPhase.Cancelled, total, completed, Math.Max(failed, total - completed)),
            "validating" or "in_progress" or "finalizing" or "cancelling" => new BatchState(BatchPhase.InProgress, total, completed, failed),
            _ => new BatchState(BatchPhase.InProgress, total, completed, failed, $"Unknown batch status '{status}'."),
        };
    }

    /// <summary>The lines of an output or error file as the online endpoint would have answered each request.</summary>
    internal static IEnumerable<BatchResult> ResultLines(ReadOnlyMemory<byte> file)
    {
        while (!file.IsEmpty)
        {
            int end = file.Span.IndexOf((byte)'\n');
            var line = end < 0 ? file : file[..end];
            file = end < 0 ? ReadOnlyMemory<byte>.Empty : file[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            if (ResultOf(json.RootElement) is { } result)
            {
                yield return result;
            }
        }
    }

    private static BatchResult? ResultOf(JsonElement line)
    {
        if (StringOf(line, "custom_id") is not { } customId)
        {
            return null;
        }

        if (line.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
            && response.TryGetProperty("status_code", out var status) && status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int code)
            && response.TryGetProperty("body", out var body))
        {
            return new BatchResult(customId, code, Encoding.UTF8.GetBytes(body.GetRawText()));
        }

        // No response: the request never ran. Expired and cancelled requests are answered 503, so they are tried again.
        string errorCode = "batch_error", message = "The request has no response in the batch.";
        if (line.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            errorCode = StringOf(error, "code") ?? errorCode;
            message = StringOf(error, "message") ?? message;
        }

        int statusCode = errorCode is "batch_expired" or "batch_cancelled" ? 503 : 500;
        var online = new { error = new { message, type = errorCode, param = (string?)null, code = errorCode } };
        return new BatchResult(customId, statusCode, JsonSerializer.SerializeToUtf8Bytes(online));
    }

    private static string? ErrorsOf(JsonElement batch)
    {
        if (!batch.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object
            || !errors.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var messages = data.EnumerateArray()
            .Select(e => (Code: StringOf(e, "code"), Message: StringOf(e, "message"), Line: e.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out int n) ? n : (int?)null))
            .Select(e => $"{e.Code ?? "error"}{(e.Line is { } n ? $" (line {n})" : string.Empty)}: {e.Message}")
            .ToList();
        return messages.Count == 0 ? null : SecretScrubber.Scrub(string.Join("; ", messages));
    }

    internal static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int IntOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : 0;
}
