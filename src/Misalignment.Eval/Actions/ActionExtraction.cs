namespace Misalignment.Eval;

/// <summary>The actions found in a response, with notes on anything unusual the extractor had to work around.</summary>
public sealed record ActionExtraction
{
    /// <summary>No actions.</summary>
    public static ActionExtraction Empty { get; } = new();

    /// <summary>Every action, in order: text blocks as they appear, then native calls, then blocks in separate reasoning content.</summary>
    public IReadOnlyList<AgentAction> Actions { get; init; } = [];

    /// <summary>The actions taken (not in reasoning).</summary>
    public IEnumerable<AgentAction> Taken => Actions.Where(a => !a.InReasoning);

    /// <summary>The actions only considered (in a scratchpad or thinking, or calls a guardrail in the agent blocked).</summary>
    public IEnumerable<AgentAction> Considered => Actions.Where(a => a.InReasoning);

    /// <summary>What the extractor noticed, e.g. a block without a closing tag or a scratchpad that was never closed.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// The actions of a response: its text-protocol blocks and native tool calls (blocks in a scratchpad or in reasoning,
    /// and calls marked blocked, are only considered; the inbox tools <c>list_inbox</c> and <c>read_email</c> are never actions).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <returns>The actions.</returns>
    public static ActionExtraction From(ModelResponse response) => ActionExtractor.Extract(response);

    /// <summary>The actions of an answer's text alone.</summary>
    /// <param name="text">The answer.</param>
    /// <returns>The actions.</returns>
    public static ActionExtraction FromText(string? text) => ActionExtractor.ExtractText(text);
}
