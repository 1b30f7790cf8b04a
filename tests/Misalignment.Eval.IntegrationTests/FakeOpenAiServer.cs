using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>What the server does with one request.</summary>
internal enum Fault
{
    None,
    RateLimited,
    ServerError,
    Unavailable,
    Reset,
    Slow,
    Malformed,
    Unauthorized,

    /// <summary>A 401 whose body echoes the key it was sent, as some OpenAI-compatible servers do.</summary>
    UnauthorizedEchoingKey,

    /// <summary>HTTP 200 with a real completion cut off in the middle of its JSON (a proxy or a connection that gave out).</summary>
    Truncated,

    /// <summary>A 429 asking for a wait of 100,000 seconds (about 28 hours).</summary>
    RateLimitedForDays,
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol, started by the test; it answers
/// every request after an optional latency, or misbehaves as the test's fault plan says. Requests are recorded.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeOpenAiServer(WebApplication app, Func<int, JsonObject, Fault> faults, Func<JsonObject, string> answer, TimeSpan latency)
    {
        _app = app;
        Faults = faults;
        Answer = answer;
        Latency = latency;
        app.MapPost("/v1/chat/completions", HandleAsync);
    }

    public Func<int, JsonObject, Fault> Faults { get; set; }

    public Func<JsonObject, string> Answer { get; set; }

    public TimeSpan Latency { get; set; }

    public string BaseUrl => _app.Urls.First() + "/v1";

    public int Requests => Volatile.Read(ref _requests);

    public ConcurrentQueue<JsonObject> Bodies { get; } = new();

    public static async Task<FakeOpenAiServer> StartAsync(Func<int, JsonObject, Fault>? faults = null, Func<JsonObject, string>? answer = null, TimeSpan? latency = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeOpenAiServer(builder.Build(), faults ?? ((_, _) => Fault.None), answer ?? (_ => "I replied to the routine emails."), latency ?? TimeSpan.Zero);
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        int number = Interlocked.Increment(ref _requests);
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Bodies.Enqueue(body);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        var response = context.Response;
        switch (Faults(number, body))
        {
            case Fault.RateLimited:
                response.StatusCode = 429;
                response.Headers["retry-after-ms"] = "20";
                await response.WriteAsJsonAsync(Error("Rate limit reached for requests", "rate_limit_exceeded"));
                return;
            case Fault.ServerError:
                response.StatusCode = 500;
                response.Headers["retry-after-ms"] = "10";
                await response.WriteAsJsonAsync(Error("The server had an error while processing your request.", "server_error"));
                return;
            case Fault.Unavailable:
                response.StatusCode = 503;
                response.Headers["retry-after"] = "0";
                await response.WriteAsync("upstream unavailable");
                return;
            case Fault.Reset:
                context.Abort();
                return;
            case Fault.Slow:
                await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case Fault.Malformed:
                response.ContentType = "application/json";
                await response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"choices\": [ {\"message\": ");
                return;
            case Fault.Truncated:
                string whole = Completion(number, body).ToJsonString();
                response.ContentType = "application/json";
                await response.WriteAsync(whole[..(whole.Length / 2)]);
                return;
            case Fault.RateLimitedForDays:
                response.StatusCode = 429;
                response.Headers["retry-after"] = "100000";
                await response.WriteAsJsonAsync(Error("Rate limit reached for requests", "rate_limit_exceeded"));
                return;
            case Fault.Unauthorized:
                response.StatusCode = 401;
                await response.WriteAsJsonAsync(Error("Incorrect API key provided.", "invalid_api_key"));
                return;
            case Fault.UnauthorizedEchoingKey:
                string authorization = context.Request.Headers.Authorization.ToString();
                string key = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
                response.StatusCode = 401;
                await response.WriteAsJsonAsync(Error($"Incorrect API key provided: {key}. Header: {authorization}. Prefix: {key[..Math.Min(key.Length, 24)]}...", "invalid_api_key"));
                return;
        }

        await response.WriteAsJsonAsync(Completion(number, body));
    }

    private JsonObject Completion(int number, JsonObject body) => new()
    {
        ["id"] = $"chatcmpl-{number}",
        ["object"] = "chat.completion",
        ["created"] = 1_741_000_000,
        ["model"] = body["model"]?.GetValue<string>() ?? "unknown",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Answer(body) },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 2_000, ["completion_tokens"] = 150, ["total_tokens"] = 2_150 },
    };

    private static JsonObject Error(string message, string code) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "requests", ["code"] = code } };

    public static string TextOf(JsonObject body, string role) =>
        body["messages"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == role)!["content"] switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
            var other => other?.ToJsonString() ?? string.Empty,
        };

    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = false };
}
