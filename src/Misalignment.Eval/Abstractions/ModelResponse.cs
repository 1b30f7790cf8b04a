using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>What the system under test answered to one <see cref="ModelRequest"/>.</summary>
public sealed record ModelResponse
{
    /// <summary>The final answer's text (for an agent loop, the text of every assistant step, in order).</summary>
    public required string Text { get; init; }

    /// <summary>Reasoning or thinking content the provider returned separately from the answer, if any.</summary>
    public string? Reasoning { get; init; }

    /// <summary>The messages the system under test produced (assistant messages, tool calls and tool results), in order.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>Why generation stopped, as the provider said (e.g. <c>stop</c>, <c>length</c>, <c>content_filter</c>).</summary>
    public string? FinishReason { get; init; }

    /// <summary>Token usage, when the provider reported it.</summary>
    public UsageDetails? Usage { get; init; }

    /// <summary>The model id the provider reported, when it did.</summary>
    public string? ModelId { get; init; }

    /// <summary>The wall-clock time of the call (all steps of an agent loop).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The function calls in <see cref="Messages"/>, in order.</summary>
    public IEnumerable<FunctionCallContent> FunctionCalls =>
        Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>();
}
