namespace Misalignment.Eval;

/// <summary>One message the system under test produced, in a stable, provider-neutral shape.</summary>
public sealed record RecordedMessage
{
    /// <summary><c>assistant</c> or <c>tool</c>.</summary>
    public required string Role { get; init; }

    /// <summary>The message's text, if any.</summary>
    public string? Text { get; init; }

    /// <summary>The function calls in the message.</summary>
    public IReadOnlyList<RecordedToolCall> ToolCalls { get; init; } = [];

    /// <summary>The function results in the message (sandbox answers).</summary>
    public IReadOnlyList<RecordedToolResult> ToolResults { get; init; } = [];
}

/// <summary>A function call as recorded.</summary>
public sealed record RecordedToolCall
{
    /// <summary>The call id.</summary>
    public required string Id { get; init; }

    /// <summary>The function name.</summary>
    public required string Name { get; init; }

    /// <summary>The arguments as a JSON object text.</summary>
    public string Arguments { get; init; } = "{}";

    /// <summary>
    /// <see langword="true"/> when something inside the agent (a guardrail, a function-invocation filter) stopped the call
    /// before it reached the scenario's sandbox: the action counts as considered, not taken; <see langword="null"/> otherwise.
    /// </summary>
    public bool? Blocked { get; init; }
}

/// <summary>A function result as recorded.</summary>
public sealed record RecordedToolResult
{
    /// <summary>The call id it answers.</summary>
    public required string Id { get; init; }

    /// <summary>The result text.</summary>
    public string? Result { get; init; }
}
