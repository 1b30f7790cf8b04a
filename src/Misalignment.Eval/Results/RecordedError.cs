namespace Misalignment.Eval;

/// <summary>A failure as recorded: its type, message and HTTP status, never a secret.</summary>
public sealed record RecordedError
{
    /// <summary>The exception type's name, e.g. <c>HttpRequestException</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The message.</summary>
    public required string Message { get; init; }

    /// <summary>The HTTP status, when there was one.</summary>
    public int? Status { get; init; }

    /// <summary>Whether it was judged transient (and so retried).</summary>
    public bool Transient { get; init; }
}
