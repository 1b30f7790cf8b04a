namespace Misalignment.Eval.Reporting;

/// <summary>The report formats.</summary>
[Flags]
public enum ReportFormat
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>report.json</c>: everything, machine-readable, with a versioned schema.</summary>
    Json = 1,

    /// <summary><c>report.csv</c>: one tidy row per (model, condition) cell.</summary>
    Csv = 2,

    /// <summary><c>report.md</c>: tables per scenario.</summary>
    Markdown = 4,

    /// <summary><c>report.html</c>: self-contained page with tables and SVG charts.</summary>
    Html = 8,

    /// <summary>Every format of the library (the CLI adds <c>png</c> charts).</summary>
    All = Json | Csv | Markdown | Html,
}
