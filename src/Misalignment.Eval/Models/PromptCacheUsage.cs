using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// The prompt-cache counts of a <see cref="UsageDetails"/>. Reads are <see cref="UsageDetails.CachedInputTokenCount"/>
/// (Anthropic <c>cache_read_input_tokens</c>, OpenAI <c>prompt_tokens_details.cached_tokens</c>); writes have no
/// property of their own and travel in <see cref="UsageDetails.AdditionalCounts"/> under the Anthropic SDK's name.
/// Both are parts of <see cref="UsageDetails.InputTokenCount"/>, never added to it.
/// </summary>
internal static class PromptCacheUsage
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of the input tokens written to the prompt cache (Anthropic <c>cache_creation_input_tokens</c>).</summary>
    public const string CacheWriteKey = "CacheCreationInputTokens";

    /// <summary>The input tokens written to the prompt cache, or <see langword="null"/> when the usage reports none.</summary>
    public static long? CacheWriteTokens(UsageDetails? usage) =>
        usage?.AdditionalCounts is { } counts && counts.TryGetValue(CacheWriteKey, out long written) ? written : null;

    /// <summary>Usage with the cache-write count set (or left out when <paramref name="written"/> is null).</summary>
    public static UsageDetails WithCacheWrite(UsageDetails usage, long? written)
    {
        if (written is { } value)
        {
            (usage.AdditionalCounts ??= [])[CacheWriteKey] = value;
        }

        return usage;
    }
}
