namespace Misalignment.Eval;

/// <summary>One request to the system under test: the prompts of a condition, for one sample.</summary>
public sealed record ModelRequest
{
    /// <summary>The rendered prompts.</summary>
    public required ScenarioPrompt Prompt { get; init; }

    /// <summary>The 1-based sample index within the condition.</summary>
    public int SampleIndex { get; init; } = 1;

    /// <summary>A per-sample seed, passed to providers that support one; <see langword="null"/> for none.</summary>
    public long? Seed { get; init; }
}
