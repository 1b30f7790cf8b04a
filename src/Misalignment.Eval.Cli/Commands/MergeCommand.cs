using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Misalignment.Eval.Results;

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
            var manifests = paths.Select(ResultReader.ReadManifest).ToList();
            for (int i = 1; i < paths.Count; i++)
            {
                var differences = ResultStore.Differences(manifests[0] with { Shard = null }, manifests[i] with { Shard = null });
                if (differences.Count > 0)
                {
                    throw new MisalignmentEvalException($"{paths[i]} and {paths[0]} come from different specs and cannot be merged; these differ: {string.Join("; ", differences)}.");
                }
            }

            var seen = new Dictionary<string, (string Hash, string Path)>(StringComparer.Ordinal);
            string target = Path.Combine(OutputPaths.Folder(parsed.GetValue(output), "--out"), ResultStore.FileName);
            int written = 0, duplicates = 0;
            var firstManifest = manifests[0] with { Shard = null };
            await using (var store = ResultStore.Create(target, firstManifest))
            {
                foreach (string path in paths)
                {
                    foreach (var sample in ResultReader.ReadSamples(path))
                    {
                        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(sample))));
                        if (seen.TryGetValue(sample.Key, out var earlier))
                        {
                            if (earlier.Hash != hash)
                            {
                                throw new MisalignmentEvalException($"The sample '{sample.Key}' is in both {earlier.Path} and {path} with different contents; merge refused ({target} is incomplete and should be deleted).");
                            }

                            duplicates++;
                            continue;
                        }

                        seen[sample.Key] = (hash, path);
                        await store.AppendAsync(sample, cancellationToken).ConfigureAwait(false);
                        written++;
                    }
                }
            }

            await context.Output.WriteLineAsync($"Merged {paths.Count} stores into {Path.GetFullPath(target)}: {written} samples{(duplicates > 0 ? $", {duplicates} identical duplicates skipped" : string.Empty)}.").ConfigureAwait(false);
            return CliApp.Ok;
        });
        return command;
    }
}
