using System.Diagnostics.CodeAnalysis;
namespace Misalignment.Eval.Reporting;

/// <summary>What a report is written from: the statistics, the samples behind them (read lazily), and the folder.</summary>
[Experimental(Experimental.ReportWriters)]
public sealed class ReportContext
{
    private readonly Func<IEnumerable<SampleRecord>> _samples;

    /// <summary>Creates the context.</summary>
    /// <param name="aggregation">The statistics.</param>
    /// <param name="directory">The folder to write into (created if needed).</param>
    /// <param name="samples">Reads the samples (each call reads them afresh); none when omitted.</param>
    public ReportContext(Aggregation aggregation, string directory, Func<IEnumerable<SampleRecord>>? samples = null)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Aggregation = aggregation;
        Directory = directory;
        _samples = samples ?? (static () => []);
    }

    /// <summary>The statistics.</summary>
    public Aggregation Aggregation { get; }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The store the statistics come from, when there is one: its prompts file (<c>prompts.jsonl</c> beside it) gives the HTML report's transcripts their prompts.</summary>
    public string? StorePath { get; init; }

    /// <summary>The headline figure's condition, without the scenario: <c>explicit-america_replacement</c> (goal conflict plus replacement) by default.</summary>
    public string HeadlineCondition { get; init; } = "explicit-america_replacement";

    /// <summary>The headline figure's control, without the scenario: <c>none-none_none</c> (no goal conflict, no threat) by default.</summary>
    public string ControlCondition { get; init; } = "none-none_none";

    /// <summary>The samples behind the statistics.</summary>
    /// <returns>The samples, in the order recorded.</returns>
    public IEnumerable<SampleRecord> Samples() => _samples();

    /// <summary>The judge-agreement data beside the store (gate vs judge, labels, a second judge), when there are any: the reports then show "How far to trust the judge".</summary>
    internal JudgeAgreement? Agreement { get; init; }

    /// <summary>The store's prompts by hash (empty without a store or a prompts file).</summary>
    internal IReadOnlyDictionary<string, StoredPrompt> Prompts() => PromptSidecar.Read(StorePath);
}
