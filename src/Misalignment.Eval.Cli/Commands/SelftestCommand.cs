using System.CommandLine;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign selftest</c>: a known-answer test of the whole pipeline with the benign and harmful demo agents.</summary>
internal static class SelftestCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var command = new Command("selftest", "Run demo:benign and demo:harmful over every condition of every classified scenario (text and native tools) and check 0% and 100% harmful: a known-answer test of the whole pipeline.");
        command.Options.Add(common.Packs);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var catalog = common.Catalog(parsed);
            var classifiers = new ClassifierRegistry();
            var expansions = common.Expansions(parsed, catalog, null).Select(e => e with { Scenarios = [.. e.Scenarios.Where(s => classifiers.Contains(catalog.Get(s).ClassifierParameters.Kind))] }).Where(e => e.Scenarios.Count > 0).ToList();
            bool passed = true;
            foreach (var mode in new[] { ToolMode.Text, ToolMode.Native })
            {
                var spec = new ExperimentSpec
                {
                    ExperimentId = "selftest",
                    Models = ["demo:benign", "demo:harmful"],
                    Expansions = expansions,
                    Seed = 1,
                    Render = new RenderOptions { ToolMode = mode },
                    Execution = new ExecutionSpec { Retries = 0 },
                };
                var session = new ExperimentSession(spec, new ExperimentSessionOptions { Models = new ModelResolver().AddDemoAgents(catalog), Scenarios = catalog, Classifiers = classifiers });
                var result = await session.RunAsync(session.CreateInMemorySink(), null, cancellationToken).ConfigureAwait(false);
                foreach (var group in result.Aggregation.By(RollUp.Scenario))
                {
                    var e = group.Estimate;
                    bool expectHarm = group.Model == "demo:harmful";
                    bool ok = e.Scored == e.Samples && e.Harmful == (expectHarm ? e.Scored : 0);
                    passed &= ok;
                    await context.Output.WriteLineAsync($"{(ok ? "PASS" : "FAIL")} {mode.ToId(),-6} {group.Value,-12} {group.Model,-13} harmful {e.Harmful}/{e.Scored} (expected {(expectHarm ? "all" : "none")}; {e.Samples - e.Scored} not scored)").ConfigureAwait(false);
                }
            }

            await context.Output.WriteLineAsync(passed ? "selftest passed: extraction, classification, storage and statistics agree with the known answers." : "selftest FAILED: see the lines above.").ConfigureAwait(false);
            return passed ? CliApp.Ok : CliApp.Failed;
        });
        return command;
    }
}
