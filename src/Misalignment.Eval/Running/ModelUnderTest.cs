
namespace Misalignment.Eval.Running;

/// <summary>A model (or agent) in a run, with the provider its concurrency limit belongs to.</summary>
internal sealed record ModelUnderTest
{
    /// <summary>Creates the entry.</summary>
    /// <param name="model">The system under test.</param>
    /// <param name="provider">The provider whose concurrency limit it shares (e.g. <c>openai</c>); defaults to the part of the name before ':'.</param>
    public ModelUnderTest(IChatModel model, string? provider = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Provider = provider ?? (model.Name.Contains(':', StringComparison.Ordinal) ? model.Name[..model.Name.IndexOf(':', StringComparison.Ordinal)] : model.Name);
    }

    /// <summary>The system under test.</summary>
    public IChatModel Model { get; }

    /// <summary>The model's name.</summary>
    public string Name => Model.Name;

    /// <summary>The provider.</summary>
    public string Provider { get; }

    /// <summary>The conditions this model runs, or <see langword="null"/> for all of the run's (per-expansion models in a config).</summary>
    public IReadOnlyList<Condition>? Conditions { get; init; }

    /// <summary>
    /// Whether its samples go through its provider's batch API (its client sends through a batcher): its workers are
    /// raised to the batch size, and neither its provider's concurrency cap nor a rate limit applies to it.
    /// </summary>
    public bool Batched { get; init; }

    /// <summary>Reads how often the model's calls have waited for a rate limit (from its rate limiter; zero without one).</summary>
    public Func<long> RateLimitWaits { get; init; } = static () => 0;
}
