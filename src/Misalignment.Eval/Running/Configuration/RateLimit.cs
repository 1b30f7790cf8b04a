namespace Misalignment.Eval.Running;

/// <summary>A request and token budget per minute; <see langword="null"/> means unlimited.</summary>
public sealed record RateLimit
{
    /// <summary>Requests per minute.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens per minute.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>For a pool: the model-name patterns (<c>*</c> wildcards) that share it; empty otherwise.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
}
