using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Misalignment.Eval.Running;

/// <summary>What a held request is answered with: the status and JSON body the online endpoint would have sent, and the batch that gave it.</summary>
internal sealed record BatchAnswer(int StatusCode, ReadOnlyMemory<byte> Body, string? BatchId)
{
    /// <summary>
    /// A failure the batcher answers itself (a failed or expired batch, a missing result), as both SDKs read an error:
    /// OpenAI's <c>error.message</c>, Anthropic's <c>type: error</c> with <c>error.type</c> and <c>error.message</c>.
    /// </summary>
    public static BatchAnswer Error(int statusCode, string message, string? batchId)
    {
        var body = new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = statusCode >= 500 ? "api_error" : "invalid_request_error", ["message"] = message },
        };
        return new BatchAnswer(statusCode, JsonSerializer.SerializeToUtf8Bytes(body), batchId);
    }

    /// <summary>The answer as the HTTP response the SDK reads.</summary>
    public HttpResponseMessage ToResponse(HttpRequestMessage request)
    {
        var content = new ByteArrayContent(Body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage((HttpStatusCode)StatusCode) { RequestMessage = request, Content = content };
    }
}
