using System.Text;
using Misalignment.Eval.Statistics;

namespace Misalignment.Eval.Reporting;

/// <summary>Writes the reports of an aggregation into a folder: <c>report.json</c>, <c>report.csv</c>, <c>report.md</c>, <c>report.html</c>.</summary>
public static class ReportWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the chosen formats.</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <param name="directory">The folder (created if needed).</param>
    /// <param name="formats">The formats.</param>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(Aggregation aggregation, string directory, ReportFormat formats = ReportFormat.All)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        Directory.CreateDirectory(OutputPaths.Folder(directory, "the report folder"));
        var written = new List<string>();
        void Save(ReportFormat format, string name, Func<Aggregation, string> render)
        {
            if (formats.HasFlag(format))
            {
                string path = Path.Combine(directory, name);
                File.WriteAllText(path, render(aggregation), Utf8);
                written.Add(path);
            }
        }

        Save(ReportFormat.Json, "report.json", JsonReport.Render);
        Save(ReportFormat.Csv, "report.csv", CsvReport.Render);
        Save(ReportFormat.Markdown, "report.md", MarkdownReport.Render);
        Save(ReportFormat.Html, "report.html", HtmlReport.Render);
        return written;
    }

    /// <summary>Parses a comma list of formats (<c>json,csv,md,html</c>; <c>all</c>); <c>png</c> is accepted and left to the caller.</summary>
    /// <param name="text">The list.</param>
    /// <param name="png">Whether <c>png</c> (or <c>all</c>) was asked for.</param>
    /// <returns>The library formats.</returns>
    public static ReportFormat ParseFormats(string text, out bool png)
    {
        png = false;
        var formats = ReportFormat.None;
        foreach (string part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "json": formats |= ReportFormat.Json; break;
                case "csv": formats |= ReportFormat.Csv; break;
                case "md" or "markdown": formats |= ReportFormat.Markdown; break;
                case "html": formats |= ReportFormat.Html; break;
                case "png": png = true; break;
                case "all": formats = ReportFormat.All; png = true; break;
                default: throw new MisalignmentEvalException($"--format: unknown report format '{part}'; expected json, csv, md, html, png or all.");
            }
        }

        return formats != ReportFormat.None || png
            ? formats
            : throw new MisalignmentEvalException($"--format: '{text}' names no report format; expected a comma list of json, csv, md, html, png or all.");
    }
}
