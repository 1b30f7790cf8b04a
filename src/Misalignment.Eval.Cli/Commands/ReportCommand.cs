using System.CommandLine;
using System.Globalization;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Statistics;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign report</c>: rates, intervals, roll-ups and charts from a result store.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var results = new Option<string>("--results") { Description = "The result folder (or its results.jsonl).", Required = true };
        var format = new Option<string>("--format") { Description = "Comma list of json, csv, md, html, png (default: all).", DefaultValueFactory = _ => "all" };
        var output = new Option<string?>("--out") { Description = "Where to write the reports (default: the result folder)." };
        var level = new Option<double>("--level") { Description = "Confidence level of the intervals (default 0.95).", DefaultValueFactory = _ => 0.95 };
        var command = new Command("report", "Write reports (JSON, CSV, Markdown, HTML with charts, PNG chart) from a result store; works on an interrupted run too.");
        command.Options.Add(results);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(level);
        command.SetAction(parsed =>
        {
            string store = ClassifyCommand.StorePath(parsed.GetValue(results)!);
            double confidence = parsed.GetValue(level);
            if (!(confidence > 0 && confidence < 1))
            {
                throw new MisalignmentEvalException($"--level: {confidence.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1 (e.g. 0.95).");
            }

            var formats = ReportWriter.ParseFormats(parsed.GetValue(format)!, out bool png);
            string folder = parsed.GetValue(output) is { } given ? OutputPaths.Folder(given, "--out") : Path.GetDirectoryName(Path.GetFullPath(store))!;
            foreach (string path in Write(Aggregator.FromStore(store, confidence), folder, formats, png))
            {
                context.Output.WriteLine($"Wrote {path}");
            }

            return CliApp.Ok;
        });
        return command;
    }

    internal static IReadOnlyList<string> Write(Aggregation aggregation, string folder, ReportFormat formats, bool png)
    {
        var written = ReportWriter.Write(aggregation, folder, formats).ToList();
        if (png)
        {
            written.Add(ChartPng.Write(aggregation, folder));
        }

        return written.Select(Path.GetFullPath).ToList();
    }
}
