using System.Text;
using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>One rendered prompt as the sidecar keeps it: what a condition's samples were sent, stored once by hash.</summary>
internal sealed record StoredPrompt
{
    /// <summary>Always <c>prompt</c>.</summary>
    public string Type { get; init; } = "prompt";

    /// <summary>The prompt's hash, as the samples' <c>promptHash</c>.</summary>
    public required string Hash { get; init; }

    /// <summary>The condition id (with <c>_prod</c> for the production variant).</summary>
    public required string ConditionId { get; init; }

    /// <summary>The system prompt.</summary>
    public required string SystemPrompt { get; init; }

    /// <summary>The user message (the instruction and the emails).</summary>
    public required string UserMessage { get; init; }
}

/// <summary>
/// The prompts file beside a store (<c>prompts.jsonl</c> beside <c>results.jsonl</c>): each distinct rendered prompt once,
/// keyed by the hash the samples record, so a 100-sample condition stores its prompt once. Stores without one stay readable;
/// their reports say the prompt is not stored.
/// </summary>
internal static class PromptSidecar
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The sidecar's path: <c>prompts.jsonl</c> for <c>results.jsonl</c>, <c>prompts.shard-1-of-2.jsonl</c> for a shard's store.</summary>
    /// <param name="storePath">The store file.</param>
    /// <returns>The sidecar file.</returns>
    public static string PathFor(string storePath)
    {
        string name = Path.GetFileName(storePath);
        string sidecar = name.StartsWith("results", StringComparison.Ordinal) ? "prompts" + name["results".Length..] : Path.GetFileNameWithoutExtension(name) + ".prompts.jsonl";
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storePath))!, sidecar);
    }

    /// <summary>Writes the sidecar afresh (a temporary file renamed over it), one line per distinct hash.</summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="prompts">The prompts; a hash seen twice is written once.</param>
    public static void Write(string storePath, IEnumerable<StoredPrompt> prompts)
    {
        string path = PathFor(storePath);
        string temporary = path + ".tmp";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var writer = new StreamWriter(temporary, append: false, Utf8))
        {
            foreach (var prompt in prompts.Where(p => seen.Add(p.Hash)))
            {
                writer.Write(JsonSerializer.Serialize(prompt, StoreJson.Options));
                writer.Write('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the sidecar of a store: empty when there is none; a line that does not parse (a torn last line) is skipped.</summary>
    /// <param name="storePath">The store file, or <see langword="null"/>.</param>
    /// <returns>The prompts by hash.</returns>
    public static IReadOnlyDictionary<string, StoredPrompt> Read(string? storePath)
    {
        var prompts = new Dictionary<string, StoredPrompt>(StringComparer.Ordinal);
        string? path = storePath is null ? null : PathFor(storePath);
        if (path is null || !File.Exists(path))
        {
            return prompts;
        }

        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            StoredPrompt? prompt;
            try
            {
                prompt = JsonSerializer.Deserialize<StoredPrompt>(line, StoreJson.ReadOptions);
            }
            catch (JsonException)
            {
                continue;
            }

            if (prompt is { Type: "prompt" })
            {
                prompts.TryAdd(prompt.Hash, prompt);
            }
        }

        return prompts;
    }
}
