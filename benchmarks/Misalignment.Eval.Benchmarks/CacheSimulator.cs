using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Misalignment.Eval.Benchmarks;

/// <summary>
/// What a provider would bill for one request, by the providers' published caching rules, counted in tokens of
/// about four characters:
/// <list type="bullet">
/// <item>Anthropic caches the prompt up to a <c>cache_control</c> breakpoint: the first request with a prefix writes
/// it (<c>cache_creation_input_tokens</c>), later ones read it (<c>cache_read_input_tokens</c>); the input after the
/// breakpoint is <c>input_tokens</c>.</item>
/// <item>OpenAI caches a prompt of at least 1,024 tokens on its own, in steps of 128 tokens: a prompt sent before
/// reports that much as <c>prompt_tokens_details.cached_tokens</c>; there is no write charge.</item>
/// </list>
/// A prefix counts as cached from the first request that carried it (the loopback servers answer at once; with real
/// latencies, a call that starts before the first answer of its condition has begun writes the prefix again), and it
/// is never evicted within a run (the plan's cache blocks bring a condition's samples back within a few calls).
/// </summary>
internal sealed class CacheSimulator(bool openAiCaches)
{
    private readonly ConcurrentDictionary<string, bool> _written = new(StringComparer.Ordinal);

    public static long Tokens(string text) => (text.Length + 3) / 4;

    /// <summary>An Anthropic <c>usage</c> block for a Messages request body and its answer.</summary>
    public JsonObject Anthropic(JsonObject body, string answer)
    {
        var (prefix, rest) = SplitAtBreakpoint(body);
        long output = Tokens(answer);
        if (prefix is null)
        {
            return Usage(Tokens(rest), 0, 0, output);
        }

        bool hit = !_written.TryAdd(Hash(prefix), true);
        return hit ? Usage(Tokens(rest), Tokens(prefix), 0, output) : Usage(Tokens(rest), 0, Tokens(prefix), output);

        static JsonObject Usage(long input, long read, long written, long output) => new()
        {
            ["input_tokens"] = input,
            ["cache_read_input_tokens"] = read,
            ["cache_creation_input_tokens"] = written,
            ["output_tokens"] = output,
        };
    }

    /// <summary>An OpenAI chat-completions <c>usage</c> block for a request body and its answer.</summary>
    public JsonObject OpenAi(JsonObject body, string answer)
    {
        string prompt = string.Concat(body["messages"]!.AsArray().Select(m => Text(m!["content"])));
        long tokens = Tokens(prompt);
        long cached = 0;
        if (openAiCaches && tokens >= 1024 && !_written.TryAdd(Hash(prompt), true))
        {
            cached = 1024 + ((tokens - 1024) / 128 * 128);
        }

        long output = Tokens(answer);
        return new JsonObject
        {
            ["prompt_tokens"] = tokens,
            ["completion_tokens"] = output,
            ["total_tokens"] = tokens + output,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
        };
    }

    /// <summary>The text up to and including the last block marked <c>cache_control</c> (system, then messages), and the text after it.</summary>
    private static (string? Prefix, string After) SplitAtBreakpoint(JsonObject body)
    {
        var blocks = new List<(string Text, bool Marked)>();
        Collect(body["system"], blocks);
        foreach (var message in body["messages"]!.AsArray())
        {
            Collect(message!["content"], blocks);
        }

        int last = blocks.FindLastIndex(b => b.Marked);
        string Join(IEnumerable<(string Text, bool Marked)> part) => string.Concat(part.Select(b => b.Text));
        return last < 0 ? (null, Join(blocks)) : (Join(blocks.Take(last + 1)), Join(blocks.Skip(last + 1)));
    }

    private static void Collect(JsonNode? content, List<(string Text, bool Marked)> blocks)
    {
        switch (content)
        {
            case JsonValue value:
                blocks.Add((value.GetValue<string>(), false));
                break;
            case JsonArray array:
                blocks.AddRange(array.Select(b => (Text(b), b?["cache_control"] is not null)));
                break;
        }
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray array => string.Concat(array.Select(b => b?["text"]?.GetValue<string>() ?? b?["content"]?.ToJsonString() ?? string.Empty)),
        JsonObject block => block["text"]?.GetValue<string>() ?? string.Empty,
        _ => string.Empty,
    };

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
