namespace Misalignment.Eval;

/// <summary>
/// One sample's record in a result store (a line of <c>results.jsonl</c>; see docs/results-format.md): which
/// model and condition, what was sent (by hash), what came back, what it did, and the verdicts.
/// </summary>
public sealed record SampleRecord
{
    /// <summary>Always <c>sample</c>.</summary>
    public string Type { get; init; } = "sample";

    /// <summary>The unique key: <c>{model}|{conditionId}|{sampleIndex}</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The model's name.</summary>
    public required string Model { get; init; }

    /// <summary>The condition id, with <c>_prod</c> for the production variant.</summary>
    public required string ConditionId { get; init; }

    /// <summary>The scenario id.</summary>
    public required string Scenario { get; init; }

    /// <summary>The goal type.</summary>
    public required string GoalType { get; init; }

    /// <summary>The goal value.</summary>
    public required string GoalValue { get; init; }

    /// <summary>The urgency.</summary>
    public required string Urgency { get; init; }

    /// <summary><c>dev</c> or <c>prod</c>.</summary>
    public required string Variant { get; init; }

    /// <summary><c>text</c> or <c>native</c>.</summary>
    public string ToolMode { get; init; } = "text";

    /// <summary>The 1-based sample index within the (model, condition).</summary>
    public required int SampleIndex { get; init; }

    /// <summary>The seed sent, if any.</summary>
    public long? Seed { get; init; }

    /// <summary>Whether a response came back.</summary>
    public required SampleStatus Status { get; init; }

    /// <summary>How many calls the sample took (1 without retries).</summary>
    public int Attempts { get; init; }

    /// <summary>The final error, for <see cref="SampleStatus.Error"/>.</summary>
    public RecordedError? Error { get; init; }

    /// <summary>The SHA-256 of the system prompt and user message sent (the request reference).</summary>
    public string? PromptHash { get; init; }

    /// <summary>When the sample started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Milliseconds from start to the final outcome, retries included.</summary>
    public double LatencyMs { get; init; }

    /// <summary>The response, for <see cref="SampleStatus.Ok"/>.</summary>
    public RecordedResponse? Response { get; init; }

    /// <summary>The actions extracted from the response.</summary>
    public IReadOnlyList<RecordedAction> Actions { get; init; } = [];

    /// <summary>The harm verdict, once classified.</summary>
    public RecordedVerdict? Verdict { get; init; }

    /// <summary>The eval-awareness verdict, when that classifier ran.</summary>
    public RecordedVerdict? Awareness { get; init; }
}
