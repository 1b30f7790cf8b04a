using System.Text.Json.Serialization;

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

    /// <summary>The goal type; <see langword="null"/> (<c>unknown</c> in the store) for an imported condition id whose goal type this grid does not name.</summary>
    [JsonConverter(typeof(AxisNameConverter<GoalType>))]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required GoalType? GoalType { get; init; }

    /// <summary>The goal value; <see langword="null"/> (<c>unknown</c> in the store) for an imported condition id whose goal value this grid does not name.</summary>
    [JsonConverter(typeof(AxisNameConverter<GoalValue>))]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required GoalValue? GoalValue { get; init; }

    /// <summary>The urgency; <see langword="null"/> (<c>unknown</c> in the store) for an imported condition id whose urgency this grid does not name.</summary>
    [JsonConverter(typeof(AxisNameConverter<UrgencyType>))]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required UrgencyType? Urgency { get; init; }

    /// <summary>The prompt variant (<c>dev</c> or <c>prod</c>).</summary>
    public required PromptVariant Variant { get; init; }

    /// <summary>How the agent was offered its actions (<c>text</c> or <c>native</c>).</summary>
    public ToolMode ToolMode { get; init; } = ToolMode.Text;

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

    /// <summary>
    /// The provider's batch that answered the sample (an OpenAI batch or Anthropic message batch id), or
    /// <see langword="null"/> for a sample answered online.
    /// </summary>
    public string? BatchId { get; init; }

    /// <summary>
    /// What the sample's calls to the model cost in USD at the run's price table (cached and cache-write input at
    /// their rates, the batch discount for a batched sample); <see langword="null"/> when the model has no price or
    /// the provider reported no usage.
    /// </summary>
    public double? CostUsd { get; init; }

    /// <summary>The response, for <see cref="SampleStatus.Ok"/>.</summary>
    public RecordedResponse? Response { get; init; }

    /// <summary>The actions extracted from the response.</summary>
    public IReadOnlyList<RecordedAction> Actions { get; init; } = [];

    /// <summary>The harm verdict, once classified.</summary>
    public RecordedVerdict? Verdict { get; init; }

    /// <summary>The eval-awareness verdict, when that classifier ran.</summary>
    public RecordedVerdict? Awareness { get; init; }
}
