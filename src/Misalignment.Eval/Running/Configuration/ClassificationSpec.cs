namespace Misalignment.Eval.Running;

/// <summary>Whether and how responses are classified.</summary>
public sealed record ClassificationSpec
{
    /// <summary>Whether classification runs as part of the run.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The judge model's spec, or <see langword="null"/> for action-only verdicts.</summary>
    public string? ClassifierModel { get; init; }

    /// <summary>How many judge calls may be in flight at once, or <see langword="null"/> for the default.</summary>
    public int? Concurrency { get; init; }

    /// <summary>The reference's per-scenario classifier names (<c>classification.models</c>), kept for interop.</summary>
    public IReadOnlyDictionary<string, string> Models { get; init; } = new Dictionary<string, string>();

    /// <summary>How gate and judge combine (default <see cref="VerdictPolicy.Default"/>).</summary>
    public VerdictPolicy Policy { get; init; } = VerdictPolicy.Default;

    /// <summary>Whether the eval-awareness classifier runs too (needs a judge).</summary>
    public bool Awareness { get; init; }
}
