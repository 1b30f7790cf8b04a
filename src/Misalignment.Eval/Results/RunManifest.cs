


using Misalignment.Eval.Classification;
using Misalignment.Eval.Running;

namespace Misalignment.Eval;

/// <summary>
/// The first line of a result store: what produced it. <see cref="Fingerprint"/> holds everything that must match
/// for a resume; <see cref="SpecHash"/> is its hash.
/// </summary>
public sealed record RunManifest
{
    /// <summary>The current format version.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The <see cref="SpecHash"/> of a store imported from another implementation's results (no prompts, no plan).</summary>
    public const string ImportedSpecHash = "imported";

    /// <summary>Always <c>manifest</c>.</summary>
    public string Type { get; init; } = "manifest";

    /// <summary>The store's format version.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The experiment id.</summary>
    public required string ExperimentId { get; init; }

    /// <summary>The hash of <see cref="Fingerprint"/>.</summary>
    public required string SpecHash { get; init; }

    /// <summary>The library version that wrote the store.</summary>
    public required string LibraryVersion { get; init; }

    /// <summary>The run's defining settings: models, conditions, samples, render options, scenario versions, judge, policy, seed.</summary>
    public required IReadOnlyDictionary<string, string> Fingerprint { get; init; }

    /// <summary>The models.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The judge, or <see langword="null"/> for action-only verdicts.</summary>
    public string? Judge { get; init; }

    /// <summary>The verdict policy.</summary>
    public VerdictPolicy Policy { get; init; } = VerdictPolicy.Default;

    /// <summary>The base seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Samples per (model, condition).</summary>
    public int SamplesPerCondition { get; init; }

    /// <summary>The number of conditions.</summary>
    public int Conditions { get; init; }

    /// <summary>The shard (<c>K/N</c>) this store holds, or <see langword="null"/> for all work.</summary>
    public string? Shard { get; init; }

    /// <summary>Whether the models are the offline demo agents (reports say the numbers describe a simulated agent).</summary>
    public bool Simulated { get; init; }

    /// <summary>
    /// The date of the price table the run priced its samples with (<c>as_of</c> of the shipped table or of
    /// <c>--prices FILE</c>), or <see langword="null"/> when no model of the run had a price (and in stores of
    /// earlier versions).
    /// </summary>
    public string? PricesAsOf { get; init; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Whether the store was imported from another implementation's results.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Imported => SpecHash == ImportedSpecHash;
}
