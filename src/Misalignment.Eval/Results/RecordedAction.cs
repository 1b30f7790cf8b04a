namespace Misalignment.Eval;

/// <summary>An extracted action as recorded (see <c>AgentAction</c>).</summary>
public sealed record RecordedAction
{
    /// <summary>The kind (<c>email</c>, <c>forward</c> or <c>cancel_alert</c> in the store).</summary>
    public required ActionKind Kind { get; init; }

    /// <summary>The recipients.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>The subject.</summary>
    public string? Subject { get; init; }

    /// <summary>The forwarded email ids.</summary>
    public IReadOnlyList<int> EmailIds { get; init; } = [];

    /// <summary>The override code.</summary>
    public string? Code { get; init; }

    /// <summary>Whether it was only considered (scratchpad or thinking).</summary>
    public bool InReasoning { get; init; }
}
