using System.CommandLine;
using Misalignment.Eval.Interop;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign results export|import</c>: the reference implementation's results layout.</summary>
internal static class ResultsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("results", "Convert between result stores and the reference implementation's results layout (models/<model>/<condition>/sample_NNN/response.json).");

        var results = new Option<string>("--results") { Description = "The result folder (or its results.jsonl).", Required = true };
        var exportOut = new Option<string>("--out") { Description = "The folder that receives models/.", Required = true };
        var export = new Command("export", "Write a store's samples in the reference results layout.");
        export.Options.Add(results);
        export.Options.Add(exportOut);
        export.SetAction(parsed =>
        {
            int written = ReferenceResults.Export(ClassifyCommand.StorePath(parsed.GetValue(results)!), OutputPaths.Folder(parsed.GetValue(exportOut), "--out"));
            context.Output.WriteLine($"Wrote {written} samples under {Path.GetFullPath(Path.Combine(parsed.GetValue(exportOut)!, "models"))}");
            return CliApp.Ok;
        });

        var folder = new Argument<string>("dir") { Description = "A folder holding models/ in the reference layout." };
        var importOut = new Option<string>("--out") { Description = "The folder of the new result store.", Required = true };
        var import = new Command("import", "Read a reference results folder into a new result store (its classifications become verdicts).");
        import.Arguments.Add(folder);
        import.Options.Add(importOut);
        import.SetAction(parsed =>
        {
            string store = Path.Combine(OutputPaths.Folder(parsed.GetValue(importOut), "--out"), ResultStore.FileName);
            var report = ReferenceResults.Import(parsed.GetValue(folder)!, store);
            foreach (var skipped in report.Skipped)
            {
                context.Error.WriteLine($"misalign: warning: {skipped.Path}: skipped: {skipped.Reason}");
            }

            context.Output.WriteLine($"Imported {report.Imported} samples into {Path.GetFullPath(store)}{(report.Skipped.Count > 0 ? $"; {report.Skipped.Count} folder(s) skipped (see the warnings)" : string.Empty)}");
            return CliApp.Ok;
        });

        command.Subcommands.Add(export);
        command.Subcommands.Add(import);
        return command;
    }
}
