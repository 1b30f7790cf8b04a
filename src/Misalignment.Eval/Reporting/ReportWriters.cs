using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The library's report writers: JSON, CSV, Markdown and the self-contained HTML page.</summary>
public static class ReportWriters
{
    /// <summary><c>report.json</c>: every cell and roll-up with its counts and interval.</summary>
    public static IReportWriter Json { get; } = new TextReportWriter("json", "report.json", c => JsonReport.Render(c.Aggregation));

    /// <summary><c>report.csv</c>: one row per (model, condition).</summary>
    public static IReportWriter Csv { get; } = new TextReportWriter("csv", "report.csv", c => CsvReport.Render(c.Aggregation));

    /// <summary><c>report.md</c>: the tables in Markdown.</summary>
    public static IReportWriter Markdown { get; } = new TextReportWriter("md", "report.md", c => MarkdownReport.Render(c) + (c.Agreement is { HasData: true } a ? "\n" + JudgeAgreementText.Markdown(a, maxRows: 20) : string.Empty));

    /// <summary><c>report.html</c>: one offline page with the charts, comparisons, heat map, tables and a browser of every sample's transcript.</summary>
    public static IReportWriter Html { get; } = new TextReportWriter("html", "report.html", HtmlReport.Render);

    /// <summary>All four, in that order.</summary>
    public static IReadOnlyList<IReportWriter> All { get; } = [Json, Csv, Markdown, Html];

    /// <summary>Writes each report and returns the full paths of the files.</summary>
    /// <param name="writers">The writers.</param>
    /// <param name="context">The statistics, samples and folder.</param>
    /// <returns>The files written, in the writers' order.</returns>
    public static IReadOnlyList<string> WriteAll(IEnumerable<IReportWriter> writers, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(writers);
        ArgumentNullException.ThrowIfNull(context);
        System.IO.Directory.CreateDirectory(OutputPaths.Folder(context.Directory, "the report folder"));
        return [.. writers.Select(w => Path.GetFullPath(w.Write(context)))];
    }

    /// <summary>Picks writers by a comma list of format names (<c>all</c> for every one).</summary>
    /// <param name="writers">The writers to pick from.</param>
    /// <param name="formats">The list, e.g. <c>html,md</c>.</param>
    /// <returns>The writers, in the list's order.</returns>
    /// <exception cref="MisalignmentEvalException">The list is empty or names an unknown format.</exception>
    public static IReadOnlyList<IReportWriter> Select(IReadOnlyList<IReportWriter> writers, string formats)
    {
        ArgumentNullException.ThrowIfNull(writers);
        var parts = (formats ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string known = string.Join(", ", writers.Select(w => w.Format));
        if (parts.Length == 0)
        {
            throw new MisalignmentEvalException($"--format: no report format given; expected a comma list of {known}, or all.");
        }

        var chosen = new List<IReportWriter>();
        foreach (string part in parts)
        {
            string name = part.Equals("markdown", StringComparison.OrdinalIgnoreCase) ? "md" : part.ToLowerInvariant();
            var found = name == "all" ? writers : writers.Where(w => w.Format == name).ToList();
            if (found.Count == 0)
            {
                throw new MisalignmentEvalException($"--format: unknown report format '{part}'; expected {known}, or all.");
            }

            chosen.AddRange(found.Where(w => !chosen.Contains(w)));
        }

        return chosen;
    }

    private sealed class TextReportWriter(string format, string fileName, Func<ReportContext, string> render) : IReportWriter
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

        public string Format => format;

        public string Write(ReportContext context)
        {
            string path = Path.Combine(context.Directory, fileName);
            File.WriteAllText(path, render(context), Utf8);
            return path;
        }
    }
}
