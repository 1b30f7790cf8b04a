using System.CommandLine;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign classify</c>: (re)classify the samples of a result store; verdicts are appended as verdict records.</summary>
internal static class ClassifyCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var results = new Option<string>("--results") { Description = "The result folder (or its results.jsonl).", Required = true };
        var judge = new Option<string?>("--judge") { Description = "The judge's model spec; without one, verdicts are action-only." };
        var policy = new Option<string>("--policy") { Description = "Verdict policy: default or reference.", DefaultValueFactory = _ => VerdictPolicy.Default.ToId() };
        policy.AcceptOnlyFromAmong([.. WireNames<VerdictPolicy>.All]);
        var force = new Option<bool>("--force") { Description = "Classify samples that already have a verdict too (a failed re-judge keeps the earlier verdict)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Judge calls in flight (default 4; with --batch, raised to the batch size).", DefaultValueFactory = _ => 4 };
        var batch = new Option<bool>("--batch") { Description = "Send the judge's calls through its provider's batch API (OpenAI, Anthropic) at the batch price; a stopped classify attaches to its recorded batches when run again. See docs/batch.md." };
        var batches = new BatchFlags("--batch");
        var command = new Command("classify", "Classify the samples of a result store: those without a verdict or whose judge failed, or all with --force.");
        Option[] options = [results, judge, policy, force, concurrency, batch, .. batches.All, common.Packs, common.PromptSet, common.AlignmentFakingWarning, common.NoAdaptiveLimits];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(concurrency) is < 1 or > 1_000)
            {
                throw new MisalignmentEvalException("--concurrency must be between 1 and 1000.");
            }

            batches.Validate(parsed, parsed.GetValue(batch));
            if (parsed.GetValue(batch) && parsed.GetValue(judge) is null)
            {
                throw new MisalignmentEvalException("--batch needs --judge: action-only verdicts call no judge.");
            }

            string path = StorePath(parsed.GetValue(results)!);
            var catalog = common.Catalog(parsed);
            var spec = new ExperimentSpec
            {
                Render = common.RenderOptions(parsed, null),
                Classification = new ClassificationSpec
                {
                    ClassifierModel = parsed.GetValue(judge),
                    Policy = WireNames<VerdictPolicy>.TryParse(parsed.GetValue(policy), out var chosen) ? chosen : VerdictPolicy.Default,
                    Concurrency = parsed.GetValue(concurrency),
                },
                Execution = batches.Apply(parsed, new ExecutionSpec { BatchJudge = parsed.GetValue(batch) }),
            };
            var http = BatchHttp.Around(AdaptiveLimitsHttp.For(!parsed.GetValue(common.NoAdaptiveLimits)), spec.Execution, spec.Classification.ClassifierModel);
            var models = CliModelResolver.Create(context, TimeSpan.FromMinutes(5), catalog, http: http);
            if (spec.Execution.BatchJudge && spec.Classification.ClassifierModel is { } batchedJudge && !models.HasBatchApi(batchedJudge))
            {
                await context.Error.WriteLineAsync($"misalign: warning: Batch mode (--batch): the judge '{SecretScrubber.RedactUrls(batchedJudge)}' runs online at the online price: its provider '{models.ProviderOf(batchedJudge)}' has no batch API here.").ConfigureAwait(false);
            }

            var session = new ExperimentSession(spec, new ExperimentSessionOptions { Models = models, Scenarios = catalog });
            var outcome = await session.ClassifyStoreAsync(path, parsed.GetValue(force), cancellationToken).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"Classified {outcome.Classified} of {outcome.Selected} samples in {path}: harmful {outcome.Harmful} of {outcome.Scored} scored ({(spec.Classification.ClassifierModel is { } j ? $"judge {j}" : "action-only")}, {parsed.GetValue(policy)} policy).").ConfigureAwait(false);
            if (outcome.BatchedJudgeCalls > 0)
            {
                await context.Output.WriteLineAsync($"  batched judge calls: {outcome.BatchedJudgeCalls} of the judge's calls were answered through its provider's batch API").ConfigureAwait(false);
            }

            if (outcome.Skipped > 0)
            {
                await context.Error.WriteLineAsync($"misalign: warning: {outcome.Skipped} sample(s) skipped: their condition id is not one this grid produces (an import from another port), so their prompt cannot be rebuilt; they keep their recorded verdicts.").ConfigureAwait(false);
            }

            if (outcome.KeptEarlierVerdicts > 0)
            {
                await context.Error.WriteLineAsync($"misalign: {outcome.KeptEarlierVerdicts} re-judge(s) failed; those samples keep their earlier verdict.").ConfigureAwait(false);
            }

            if (outcome.JudgeFailures > 0)
            {
                int recorded = outcome.JudgeFailures - outcome.KeptEarlierVerdicts;
                string what = recorded > 0
                    ? $"{recorded} of them have no earlier verdict to keep and are recorded as judge failures. Fix the judge and run classify again: it judges exactly those"
                    : "each keeps its earlier verdict";
                await context.Error.WriteLineAsync($"misalign: error: the judge failed on {outcome.JudgeFailures} sample(s); {what}.").ConfigureAwait(false);
                return CliApp.Failed;
            }

            return CliApp.Ok;
        });
        return command;
    }

    internal static string StorePath(string path) =>
        Directory.Exists(path) ? Path.Combine(path, ResultStore.FileName) : path;
}
