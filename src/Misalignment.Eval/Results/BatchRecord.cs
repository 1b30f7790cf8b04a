namespace Misalignment.Eval;

/// <summary>
/// A batch the run submitted to a provider's batch API (a <c>"type":"batch"</c> line of the store): written before
/// the batch is first polled, so a run that is stopped and resumed attaches its pending samples to the batch instead
/// of submitting them again. Readers of samples, reports and merges ignore it.
/// </summary>
internal sealed record BatchRecord
{
    /// <summary>The <see cref="Calls"/> of a batch of the judge's calls.</summary>
    public const string JudgeCalls = "judge";

    /// <summary>Always <c>batch</c>.</summary>
    public string Type { get; init; } = "batch";

    /// <summary>The provider's batch id (<c>batch_…</c>, <c>msgbatch_…</c>).</summary>
    public required string BatchId { get; init; }

    /// <summary>The provider (<c>openai</c>, <c>anthropic</c>).</summary>
    public required string Provider { get; init; }

    /// <summary>The model whose samples the batch holds (for a judge batch, the judge).</summary>
    public required string Model { get; init; }

    /// <summary>
    /// What the batch holds: <see langword="null"/> for the model's own calls (each request's sample is not in the
    /// store yet), <see cref="JudgeCalls"/> for the judge's calls on samples that are (their verdicts are not).
    /// </summary>
    public string? Calls { get; init; }

    /// <summary>Whether the batch holds the judge's calls.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HoldsJudgeCalls => Calls == JudgeCalls;

    /// <summary>When the batch was submitted.</summary>
    public DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Each request's custom id, with the key of the sample it belongs to (the sample a judge call judges).</summary>
    public required IReadOnlyDictionary<string, string> Requests { get; init; }
}
