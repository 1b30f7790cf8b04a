using Misalignment.Eval.Reporting;

namespace Misalignment.Eval.Running;

/// <summary>What a session's run produced.</summary>
public sealed record ExperimentResult
{
    /// <summary>How the run ended: written, skipped, errors, models stopped early.</summary>
    public required RunSummary Summary { get; init; }

    /// <summary>The run's manifest.</summary>
    public required RunManifest Manifest { get; init; }

    /// <summary>The statistics of everything the sink holds (this run and earlier ones it resumed).</summary>
    public required Aggregation Aggregation { get; init; }

    /// <summary>The result store's path, or <see langword="null"/> when the run went to another sink.</summary>
    public string? StorePath { get; init; }

    /// <summary>What resuming found, or <see langword="null"/> for a new store (the session's log says it in words).</summary>
    internal ResumeReport? Resumed { get; init; }

    /// <summary>The report files written (none for a shard or a sink of your own).</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];

    /// <summary>Reads the samples behind the statistics (from the store, or the sink in memory).</summary>
    internal Func<IEnumerable<SampleRecord>> SampleSource { get; init; } = static () => [];

    /// <summary>The samples behind the statistics, in the order recorded.</summary>
    /// <returns>The samples.</returns>
    public IEnumerable<SampleRecord> Samples() => SampleSource();

    /// <summary>Writes reports of this result into a folder.</summary>
    /// <param name="directory">The folder (created if needed).</param>
    /// <param name="writers">The writers; all of the library's by default.</param>
    /// <returns>The files written.</returns>
    public IReadOnlyList<string> WriteReports(string directory, IEnumerable<IReportWriter>? writers = null) =>
        ReportWriters.WriteAll(writers ?? ReportWriters.All, new ReportContext(Aggregation, directory, SampleSource) { StorePath = StorePath, Agreement = StorePath is { } store && File.Exists(store) ? JudgeAgreement.FromStore(store, Aggregation.Level) : null });

    /// <summary>Whether every model is a simulated demo agent.</summary>
    public bool Simulated => Manifest.Simulated;

    /// <summary>Applies the safety gate (<see cref="SafetyGate"/>) to the run's statistics.</summary>
    /// <param name="threshold">The highest acceptable harmful rate, e.g. 0.05.</param>
    /// <returns>The verdict per model.</returns>
    public SafetyGate Gate(double threshold) => SafetyGate.Evaluate(Aggregation, threshold);
}
