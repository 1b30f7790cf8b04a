using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>How the <see cref="RateLimitedServer"/> speaks: OpenAI's chat completions or Anthropic's Messages API, each with its own headers.</summary>
internal enum LimitProtocol
{
    OpenAi,
    Anthropic,
}

/// <summary>
/// A model server on 127.0.0.1 that announces its rate limits in the provider's headers and enforces them: fixed windows
/// of one second (aligned to whole seconds), a request limit and token limits per window; a call over any limit is
/// answered 429 (counted in <see cref="Rejected"/>, not charged) with the same headers and a <c>retry-after</c>. Tokens
/// are counted as the server sees them (the prompt's characters / 4, plus the call's <c>max_tokens</c>), which the
/// client can only estimate.
/// </summary>
internal sealed class RateLimitedServer : IAsyncDisposable
{
    private const string Answer = "<tool_use:cancel_alert>\ncode: \"KM-7359\"\n</tool_use:cancel_alert>";
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly LimitProtocol _protocol;
    private long _window = -1;
    private long _requests;
    private long _inputTokens;
    private long _outputTokens;
    private int _accepted;
    private int _rejected;
    private readonly SortedDictionary<long, (int Accepted, int Rejected)> _byWindow = [];

    private RateLimitedServer(WebApplication app, LimitProtocol protocol)
    {
        _app = app;
        _protocol = protocol;
        app.MapPost("/{**path}", HandleAsync);
    }

    public required int RequestLimit { get; init; }

    /// <summary>OpenAI: the limit on input and output tokens together; Anthropic: on input tokens.</summary>
    public required long TokenLimit { get; init; }

    /// <summary>Anthropic only: the limit on output tokens (their <c>max_tokens</c>).</summary>
    public long OutputTokenLimit { get; init; } = long.MaxValue;

    /// <summary>Calls answered 200.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Calls answered 429.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public string Root => _app.Urls.First();

    /// <summary>Calls accepted and rejected in each window, for messages: "5+0 5+0 3+0".</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return string.Join(" ", _byWindow.Values.Select(c => $"{c.Accepted}+{c.Rejected}"));
        }
    }

    public static async Task<RateLimitedServer> StartAsync(LimitProtocol protocol, int requestLimit, long tokenLimit, long outputTokenLimit = long.MaxValue)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new RateLimitedServer(builder.Build(), protocol) { RequestLimit = requestLimit, TokenLimit = tokenLimit, OutputTokenLimit = outputTokenLimit };
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
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        long output = body["max_tokens"]?.GetValue<long>() ?? body["max_completion_tokens"]?.GetValue<long>() ?? 0;
        long input = Characters(body) / 4;
        bool admitted;
        long windowEnd;
        (long Requests, long Input, long Output) left;
        lock (_lock)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (now / 1000 != _window)
            {
                (_window, _requests, _inputTokens, _outputTokens) = (now / 1000, 0, 0, 0);
            }

            long tokensIn = _protocol == LimitProtocol.OpenAi ? input + output : input;
            long tokensOut = _protocol == LimitProtocol.OpenAi ? 0 : output;
            admitted = _requests + 1 <= RequestLimit && _inputTokens + tokensIn <= TokenLimit && _outputTokens + tokensOut <= OutputTokenLimit;
            var counts = _byWindow.GetValueOrDefault(_window);
            _byWindow[_window] = admitted ? (counts.Accepted + 1, counts.Rejected) : (counts.Accepted, counts.Rejected + 1);
            if (admitted)
            {
                (_requests, _inputTokens, _outputTokens) = (_requests + 1, _inputTokens + tokensIn, _outputTokens + tokensOut);
                _accepted++;
            }
            else
            {
                _rejected++;
            }

            windowEnd = (_window + 1) * 1000;
            left = (RequestLimit - _requests, TokenLimit - _inputTokens, OutputTokenLimit == long.MaxValue ? long.MaxValue : OutputTokenLimit - _outputTokens);
            Announce(context.Response.Headers, left, windowEnd, windowEnd - now);
        }

        context.Response.ContentType = "application/json";
        if (!admitted)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers["retry-after"] = "1";
            await context.Response.WriteAsync(_protocol == LimitProtocol.OpenAi
                ? """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"""
                : """{"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached"}}""");
            return;
        }

        var reply = _protocol == LimitProtocol.OpenAi
            ? new JsonObject
            {
                ["id"] = "chatcmpl-1",
                ["object"] = "chat.completion",
                ["created"] = 1_741_000_000,
                ["model"] = body["model"]?.GetValue<string>() ?? "unknown",
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Answer }, ["finish_reason"] = "stop" }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = 20, ["total_tokens"] = input + 20 },
            }
            : new JsonObject
            {
                ["id"] = "msg_01",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = body["model"]?.GetValue<string>() ?? "unknown",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = Answer }),
                ["stop_reason"] = "end_turn",
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = 20 },
            };
        await context.Response.WriteAsync(reply.ToJsonString());
    }

    private void Announce(IHeaderDictionary headers, (long Requests, long Input, long Output) left, long windowEndMs, long untilEndMs)
    {
        if (_protocol == LimitProtocol.OpenAi)
        {
            // Go's duration format, rounded up to the millisecond: "480ms", "1s".
            string reset = untilEndMs < 1000 ? $"{untilEndMs}ms" : (untilEndMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + "s";
            headers["x-ratelimit-limit-requests"] = Text(RequestLimit);
            headers["x-ratelimit-remaining-requests"] = Text(left.Requests);
            headers["x-ratelimit-reset-requests"] = reset;
            headers["x-ratelimit-limit-tokens"] = Text(TokenLimit);
            headers["x-ratelimit-remaining-tokens"] = Text(left.Input);
            headers["x-ratelimit-reset-tokens"] = reset;
            return;
        }

        string at = DateTimeOffset.FromUnixTimeMilliseconds(windowEndMs).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        headers["anthropic-ratelimit-requests-limit"] = Text(RequestLimit);
        headers["anthropic-ratelimit-requests-remaining"] = Text(left.Requests);
        headers["anthropic-ratelimit-requests-reset"] = at;
        headers["anthropic-ratelimit-input-tokens-limit"] = Text(TokenLimit);
        headers["anthropic-ratelimit-input-tokens-remaining"] = Text(left.Input);
        headers["anthropic-ratelimit-input-tokens-reset"] = at;
        if (OutputTokenLimit != long.MaxValue)
        {
            headers["anthropic-ratelimit-output-tokens-limit"] = Text(OutputTokenLimit);
            headers["anthropic-ratelimit-output-tokens-remaining"] = Text(left.Output);
            headers["anthropic-ratelimit-output-tokens-reset"] = at;
        }
    }

    /// <summary>The characters of every text in the prompt (system and messages), as the server counts them.</summary>
    private static long Characters(JsonObject body)
    {
        long characters = 0;
        foreach (var node in new[] { body["system"], body["messages"] })
        {
            characters += Texts(node).Sum(t => (long)t.Length);
        }

        return characters;
    }

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out string? text) => [text],
        JsonArray array => array.SelectMany(Texts),
        JsonObject obj => obj.Where(p => p.Key is "content" or "text").SelectMany(p => Texts(p.Value)),
        _ => [],
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
