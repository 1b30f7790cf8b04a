using System.CommandLine;
using System.Globalization;
using Misalignment.Eval.Reporting;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign report</c>: rates, intervals, roll-ups and charts from a result store.</summary>
internal static class ReportCommand
{
    /// <summary>The report writers the CLI offers: the library's, and the PNG chart.</summary>
    public static IReadOnlyList<IReportWriter> Writers { get; } = [.. ReportWriters.All, new ChartPngWriter()];

    public static Command Create(CliContext context)
    {
        var results = new Option<string>("--results") { Description = "The result folder (or its results.jsonl).", Required = true };
        var format = new Option<string>("--format") { Description = "Comma list of json, csv, md, html, png (default: all).", DefaultValueFactory = _ => "all" };
        var output = new Option<string?>("--out") { Description = "Where to write the reports (default: the result folder)." };
        var level = new Option<double>("--level") { Description = "Confidence level of the intervals (default 0.95).", DefaultValueFactory = _ => 0.95 };
        var headline = new Option<string>("--headline") { Description = "The headline figure's condition without the scenario (default explicit-america_replacement: goal conflict plus replacement).", DefaultValueFactory = _ => "explicit-america_replacement" };
        var control = new Option<string>("--control") { Description = "The headline figure's control condition without the scenario (default none-none_none).", DefaultValueFactory = _ => "none-none_none" };
        var command = new Command("report", "Write reports (JSON, CSV, Markdown, HTML with charts, PNG chart) from a result store; works on an interrupted run too.");
        command.Options.Add(results);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(level);
        command.Options.Add(headline);
        command.Options.Add(control);
        command.SetAction(parsed =>
        {
            string store = ClassifyCommand.StorePath(parsed.GetValue(results)!);
            double confidence = parsed.GetValue(level);
            if (double.IsNaN(confidence) || confidence is <= 0 or >= 1)
            {
                throw new MisalignmentEvalException($"--level: {confidence.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1 (e.g. 0.95).");
            }

            var writers = ReportWriters.Select(Writers, parsed.GetValue(format)!);
            if (!ChartPngWriter.Available && !parsed.GetValue(format)!.Split(',').Any(f => f.Trim().Equals("png", StringComparison.OrdinalIgnoreCase)))
            {
                // "all" on a platform without SkiaSharp's native library: every report but the PNG (the HTML has the same charts).
                writers = [.. writers.Where(w => w is not ChartPngWriter)];
            }
            string folder = parsed.GetValue(output) is { } given ? OutputPaths.Folder(given, "--out") : Path.GetDirectoryName(Path.GetFullPath(store))!;
            var written = ReportWriters.WriteAll(writers, new ReportContext(Aggregation.FromStore(store, confidence), folder, () => ResultStore.ReadSamples(store))
            {
                StorePath = store,
                Agreement = JudgeAgreement.FromStore(store, confidence),
                HeadlineCondition = parsed.GetValue(headline)!,
                ControlCondition = parsed.GetValue(control)!,
            });
            foreach (string path in written)
            {
                context.Output.WriteLine($"Wrote {path}");
            }

            return CliApp.Ok;
        });
        return command;
    }
}
