using System.CommandLine;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign merge</c>: join the stores of shards (or of interrupted runs) of one spec into one store.</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "The folder of the merged store.", Required = true };
        var inputs = new Argument<string[]>("stores") { Description = "Result stores (files or folders) of the same spec.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Join result stores of the same spec (e.g. shards) into one; conflicting samples are refused.");
        command.Options.Add(output);
        command.Arguments.Add(inputs);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var paths = parsed.GetValue(inputs)!.Select(ClassifyCommand.StorePath).ToList();
            string target = Path.Combine(OutputPaths.Folder(parsed.GetValue(output), "--out"), ResultStore.FileName);
            var (written, duplicates) = await ExperimentSession.MergeStoresAsync(paths, target, cancellationToken).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"Merged {paths.Count} stores into {Path.GetFullPath(target)}: {written} samples{(duplicates > 0 ? $", {duplicates} identical duplicates skipped" : string.Empty)}.").ConfigureAwait(false);
            return CliApp.Ok;
        });
        return command;
    }
}
