namespace Misalignment.Eval;

/// <summary>A response as recorded.</summary>
public sealed record RecordedResponse
{
    /// <summary>The answer's text.</summary>
    public required string Text { get; init; }

    /// <summary>Separate reasoning content, if any.</summary>
    public string? Reasoning { get; init; }

    /// <summary>Why generation stopped.</summary>
    public string? FinishReason { get; init; }

    /// <summary>The model id the provider reported.</summary>
    public string? ModelId { get; init; }

    /// <summary>Input tokens.</summary>
    public long? InputTokens { get; init; }

    /// <summary>
    /// Of <see cref="InputTokens"/>, those read from the provider's prompt cache (Anthropic <c>cache_read_input_tokens</c>,
    /// OpenAI <c>prompt_tokens_details.cached_tokens</c>); <see langword="null"/> when the provider reported none.
    /// </summary>
    public long? CachedInputTokens { get; init; }

    /// <summary>
    /// Of <see cref="InputTokens"/>, those written to the provider's prompt cache (Anthropic
    /// <c>cache_creation_input_tokens</c>); <see langword="null"/> when the provider reported none.
    /// </summary>
    public long? CacheWriteTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>The output tokens spent on reasoning, when the provider reported them (OpenAI reasoning models, DeepSeek).</summary>
    public long? ReasoningTokens { get; init; }

    /// <summary>The produced messages (tool calls and results of an agent loop included).</summary>
    public IReadOnlyList<RecordedMessage> Messages { get; init; } = [];
}
