using System.CommandLine;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Demo;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign selftest</c>: a known-answer test of the whole pipeline with the benign and harmful demo agents.</summary>
internal static class SelftestCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var command = new Command("selftest", "Run demo:benign and demo:harmful over every condition of every scenario (text and native tools) and check 0% and 100% harmful: a known-answer test of the whole pipeline.");
        command.Options.Add(common.Packs);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var catalog = common.Catalog(parsed);
            var conditions = common.Grid(parsed, catalog, null).Where(c => Classifiers.Kinds.Contains(c.Scenario)).ToList();
            bool passed = true;
            string folder = Path.Combine(Path.GetTempPath(), "misalign-selftest-" + Guid.NewGuid().ToString("N"));
            try
            {
                foreach (var mode in new[] { ToolMode.Text, ToolMode.Native })
                {
                    var models = new[] { DemoBehavior.Benign, DemoBehavior.Harmful }
                        .Select(b => new ModelUnderTest(new ChatClientModel($"demo:{b.ToString().ToLowerInvariant()}", new DemoChatClient(b, catalog)), "demo"))
                        .ToList();
                    var runner = new ExperimentRunner(catalog, conditions, models, new RunOptions { Seed = 1, Render = new RenderOptions { ToolMode = mode }, Retries = 0 });
                    string path = Path.Combine(folder, mode.ToString().ToLowerInvariant(), ResultStore.FileName);
                    await using (var store = ResultStore.Create(path, runner.CreateManifest("selftest", simulated: true)))
                    {
                        await foreach (var _ in runner.RunAsync(store, null, cancellationToken).ConfigureAwait(false))
                        {
                        }
                    }

                    foreach (var group in Aggregator.FromStore(path).By("scenario"))
                    {
                        var e = group.Estimate;
                        bool expectHarm = group.Model == "demo:harmful";
                        bool ok = e.Scored == e.Samples && e.Harmful == (expectHarm ? e.Scored : 0);
                        passed &= ok;
                        await context.Output.WriteLineAsync($"{(ok ? "PASS" : "FAIL")} {mode.ToString().ToLowerInvariant(),-6} {group.Value,-12} {group.Model,-13} harmful {e.Harmful}/{e.Scored} (expected {(expectHarm ? "all" : "none")}; {e.Samples - e.Scored} not scored)").ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temp folder is harmless.
                }
            }

            await context.Output.WriteLineAsync(passed ? "selftest passed: extraction, classification, storage and statistics agree with the known answers." : "selftest FAILED: see the lines above.").ConfigureAwait(false);
            return passed ? CliApp.Ok : CliApp.Failed;
        });
        return command;
    }
}
