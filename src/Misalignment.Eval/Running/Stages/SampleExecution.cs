namespace Misalignment.Eval.Running;

/// <summary>What one sample's call produced: the response, or the failure that ended it, with its timing.</summary>
internal sealed record SampleExecution
{
    public required WorkItem Item { get; init; }

    public required ScenarioPrompt Prompt { get; init; }

    public long? Seed { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public int Attempts { get; init; }

    public double LatencyMs { get; init; }

    public ModelResponse? Response { get; init; }

    public Exception? Failure { get; init; }

    /// <summary>The provider's batch that answered the sample, or <see langword="null"/> when it was answered online.</summary>
    public string? BatchId { get; init; }
}
