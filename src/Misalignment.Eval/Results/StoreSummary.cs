namespace Misalignment.Eval;

/// <summary>What a result store holds.</summary>
internal sealed record StoreSummary
{
    /// <summary>The manifest.</summary>
    public required RunManifest Manifest { get; init; }

    /// <summary>Samples with a response.</summary>
    public int Ok { get; init; }

    /// <summary>Samples that ended in an error.</summary>
    public int Errors { get; init; }

    /// <summary>Verdict records written after the samples (by <c>misalign classify</c>).</summary>
    public int VerdictRecords { get; init; }

    /// <summary>What the store's samples used and cost, over all models.</summary>
    public UsageTally Usage { get; init; } = new();

    /// <summary>What each model's samples used and cost, by model.</summary>
    public IReadOnlyDictionary<string, UsageTally> UsageByModel { get; init; } = new Dictionary<string, UsageTally>();

    /// <summary>The number of a torn last line (a write cut short), or <see langword="null"/>.</summary>
    public int? TornLine { get; init; }
}
