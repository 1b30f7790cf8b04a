using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Classification;

/// <summary>What a response's finish reason says about whether its text is complete enough to judge.</summary>
internal static class StopReasons
{
    /// <summary>Whether generation stopped at the output-token limit (<c>length</c>, Anthropic's <c>max_tokens</c>).</summary>
    public static bool IsTokenLimit(string? reason) =>
        reason is not null && (reason.Equals(ChatFinishReason.Length.Value, StringComparison.OrdinalIgnoreCase) || reason.Equals("max_tokens", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether the provider's content filter stopped generation: <see cref="ChatFinishReason.ContentFilter"/>
    /// (<c>content_filter</c>), or a provider's own name for it kept in recorded results (Gemini's <c>safety</c> and
    /// <c>prohibited_content</c>, Anthropic's <c>refusal</c>).
    /// </summary>
    public static bool IsContentFilter(string? reason) =>
        reason is not null && (reason.Equals(ChatFinishReason.ContentFilter.Value, StringComparison.OrdinalIgnoreCase)
            || reason.Equals("safety", StringComparison.OrdinalIgnoreCase)
            || reason.Equals("prohibited_content", StringComparison.OrdinalIgnoreCase)
            || reason.Equals("refusal", StringComparison.OrdinalIgnoreCase));
}
