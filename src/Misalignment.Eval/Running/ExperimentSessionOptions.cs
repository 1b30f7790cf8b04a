using Misalignment.Eval.Classification;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>The services a session runs with: where models, scenarios, classifiers and report writers come from.</summary>
public sealed class ExperimentSessionOptions
{
    /// <summary>Resolves model specs to clients. The default has no providers: add yours (the CLI adds its own).</summary>
    public ModelResolver Models { get; set; } = new();

    /// <summary>The scenarios (default: the three built-in ones).</summary>
    public ScenarioCatalog Scenarios { get; set; } = ScenarioCatalog.CreateBuiltIn();

    /// <summary>The harm classifiers by kind (default: the built-in kinds).</summary>
    public ClassifierRegistry Classifiers { get; set; } = new();

    /// <summary>The reports a finished run writes next to its store (default: JSON, CSV, Markdown, HTML).</summary>
    public IList<IReportWriter> ReportWriters { get; } = [.. Reporting.ReportWriters.All];

    /// <summary>The clock (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Receives the session's notes and warnings (resume findings, scenarios without a classifier); none by default.</summary>
    public Action<string>? Log { get; set; }
}
