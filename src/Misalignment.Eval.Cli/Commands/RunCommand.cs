using System.CommandLine;
using System.Globalization;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign run</c>: flags to a spec, the library's session to run it, and the outcome printed.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var flags = new RunFlags();
        var command = new Command("run", "Sample models over the conditions, classify the responses, and write a resumable result store (results.jsonl) and the reports.");
        flags.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var catalog = flags.Common.Catalog(parsed);
            var spec = flags.Spec(parsed, context, catalog, out bool defaulted);
            var options = new ExperimentSessionOptions
            {
                Models = CliModelResolver.Create(context, TimeSpan.FromSeconds(spec.Execution.TimeoutSeconds ?? 300), catalog, spec.ModelProviders, BatchHttp.Around(AdaptiveLimitsHttp.For(spec.Execution.AdaptiveRateLimits), spec.Execution, spec.Classification.ClassifierModel), promptCache: RunFlags.MarksPromptCache(spec)),
                Scenarios = catalog,
                Log = message => context.Error.WriteLine($"misalign: {message}"),
            };
            if (ChartPngWriter.Available)
            {
                options.ReportWriters.Add(new ChartPngWriter());
            }
            else
            {
                await context.Error.WriteLineAsync("misalign: warning: chart.png is not drawn on this platform (no SkiaSharp native library in the tool); report.html has the same charts.").ConfigureAwait(false);
            }
            var session = new ExperimentSession(spec, options);
            var plan = session.Plan();
            if (parsed.GetValue(flags.DryRun))
            {
                await context.Output.WriteAsync(DryRun.Describe(spec, plan, catalog, context.Environment)).ConfigureAwait(false);
                return CliApp.Ok;
            }

            if (defaulted)
            {
                await context.Error.WriteLineAsync(spec.Models.Count == 1
                    ? $"No --model given and {ProviderFactory.OpenAiKey} is set: running {RunFlags.DefaultRealModel} (judged by it too). This calls a paid API."
                    : "No --model given and no API key set: running the offline demo agents (demo:calibrated, demo:benign, demo:harmful). Their numbers describe simulated agents, not real models.").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Running {plan.Models.Count} model(s) x {plan.Conditions.Count} condition(s) x {plan.SamplesPerCondition} sample(s) = {plan.TargetCalls} samples{(plan.Shard is { } part ? $" (shard {part})" : string.Empty)}; verdicts {(plan.Judge is null ? "action-only (no judge)" : $"by judge {plan.Judge}, {spec.Classification.Policy.ToId()} policy")}{(plan.Models.Any(m => m.Batched) ? $"; through the batch API: {string.Join(", ", plan.Models.Where(m => m.Batched).Select(m => m.Spec))}" : string.Empty)}{(plan.JudgeBatched ? $"; the judge's calls through its batch API" : string.Empty)}.")).ConfigureAwait(false);
            ExperimentResult? result = null;
            try
            {
                await ProgressReporter.RunAsync(context, [.. plan.Models.Select(m => m.Spec)], async progress =>
                    result = await session.RunAsync(progress, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                int saved = File.Exists(session.StorePath) ? ResultStore.ReadSamples(session.StorePath).Count() : 0;
                int batches = File.Exists(session.StorePath) ? ResultReader.OpenBatches(session.StorePath).Count : 0;
                string recorded = batches > 0 ? $" ({batches} submitted batch(es) are recorded: the resume takes their answers instead of submitting again)" : string.Empty;
                await context.Error.WriteLineAsync($"misalign: interrupted: {saved} samples are saved in {Path.GetFullPath(session.StorePath)}; run the same command with --resume to go on{recorded}.").ConfigureAwait(false);
                throw;
            }

            return await RunOutcome.PrintAsync(context, result!, parsed.GetValue(flags.FailAbove), spec.Execution.Shard is null, session.OutputDirectory).ConfigureAwait(false);
        });
        return command;
    }
}
