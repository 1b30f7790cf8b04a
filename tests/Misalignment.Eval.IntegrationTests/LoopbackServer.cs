using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>One request as the loopback server saw it.</summary>
internal sealed record SeenRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonObject Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 that the test starts: it answers every POST, on any path, with the JSON the test
/// builds from the request, and records what it was sent (path, query, headers, body).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Func<SeenRequest, JsonObject> reply)
    {
        _app = app;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            var seen = new SeenRequest(
                context.Request.Path.Value ?? string.Empty,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body);
            Requests.Enqueue(seen);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply(seen).ToJsonString());
        });
    }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Root => _app.Urls.First();

    public static async Task<LoopbackServer> StartAsync(Func<SeenRequest, JsonObject> reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new LoopbackServer(builder.Build(), reply);
        await server._app.StartAsync();
        return server;
    }

    /// <summary>An OpenAI chat completion with the given content; <paramref name="message"/> adds fields to the message.</summary>
    public static JsonObject Completion(SeenRequest request, string? content, JsonObject? message = null, JsonObject? usage = null)
    {
        var reply = new JsonObject { ["role"] = "assistant", ["content"] = content };
        foreach (var (name, value) in message ?? [])
        {
            reply[name] = value?.DeepClone();
        }

        var tokens = new JsonObject { ["prompt_tokens"] = 2000, ["completion_tokens"] = 150, ["total_tokens"] = 2150 };
        foreach (var (name, value) in usage ?? [])
        {
            tokens[name] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1_741_000_000,
            ["model"] = request.Body["model"]?.GetValue<string>() ?? "unknown",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = reply, ["finish_reason"] = "stop" }),
            ["usage"] = tokens,
        };
    }

    /// <summary>An Anthropic Messages API reply with the given content blocks.</summary>
    public static JsonObject Message(params JsonObject[] content) => new()
    {
        ["id"] = "msg_01",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = "claude-test",
        ["content"] = new JsonArray([.. content]),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 2100, ["output_tokens"] = 40 },
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
