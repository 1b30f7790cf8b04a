using System.CommandLine;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary>
/// <c>misalign agreement</c>: how far to trust the judge. Records the deterministic gate's result on every sample
/// (and, with <c>--judge</c>, that judge's answer whatever the gate said) in <c>judgements.jsonl</c> beside the store;
/// exports and imports labelling sheets (<c>labels.jsonl</c>); prints gate vs judge, verdict vs labels and judge vs
/// judge per scenario. Verdicts are never changed.
/// </summary>
internal static class AgreementCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var results = new Option<string>("--results") { Description = "The result folder (or its results.jsonl).", Required = true };
        var judge = new Option<string?>("--judge") { Description = "Ask this judge on every sample, the gate's no included, and record its answers apart from the verdicts (the verdicts' judge measures the gate's misses; another judge is compared with it)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Judge calls in flight (default 4).", DefaultValueFactory = _ => 4 };
        var export = new Option<string?>("--export-sheet") { Description = "Write a labelling sheet (.csv, or .jsonl) of a stratified sample: up to --per-stratum samples per scenario and verdict." };
        var perStratum = new Option<int>("--per-stratum") { Description = "Samples per (scenario, verdict) on the sheet (default 20).", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "The sheet's sampling seed (default 1).", DefaultValueFactory = _ => 1 };
        var import = new Option<string?>("--import-sheet") { Description = "Read a filled sheet's labels (harmful/not_harmful, yes/no, 1/0; blank skips) into labels.jsonl beside the store." };
        var labeller = new Option<string?>("--labeller") { Description = "Who labelled the imported sheet (recorded with each label)." };
        var level = new Option<double>("--level") { Description = "Confidence level of the intervals (default 0.95).", DefaultValueFactory = _ => 0.95 };
        var command = new Command("agreement", "How far to trust the judge: gate vs judge, judge vs human labels (sensitivity, specificity, kappa, corrected rate), judge vs judge.");
        foreach (var option in new Option[] { results, judge, concurrency, export, perStratum, seed, import, labeller, level, common.Packs, common.PromptSet, common.AlignmentFakingWarning, common.NoAdaptiveLimits })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            string store = ClassifyCommand.StorePath(parsed.GetValue(results)!);
            if (!File.Exists(store))
            {
                throw new MisalignmentEvalException($"--results: no result store at {store}.");
            }

            double confidence = parsed.GetValue(level);
            if (double.IsNaN(confidence) || confidence is <= 0 or >= 1 || parsed.GetValue(perStratum) < 1 || parsed.GetValue(concurrency) is < 1 or > 1_000)
            {
                throw new MisalignmentEvalException("--level must be between 0 and 1, --per-stratum at least 1, --concurrency between 1 and 1000.");
            }

            var samples = ResultReader.ReadSamples(store).ToList();
            if (parsed.GetValue(import) is { } sheet)
            {
                var (labels, blank) = ResultStore.ImportLabels(store, sheet, parsed.GetValue(labeller));
                string target = AgreementFiles.PathOf(store, AgreementFiles.Labels);
                await context.Output.WriteLineAsync($"Imported {labels} label(s) from {sheet} into {target}{(blank > 0 ? $"; {blank} blank row(s) skipped" : string.Empty)}.").ConfigureAwait(false);
            }

            var catalog = common.Catalog(parsed);
            var spec = new ExperimentSpec
            {
                Render = common.RenderOptions(parsed, null),
                Classification = new ClassificationSpec { ClassifierModel = parsed.GetValue(judge), Concurrency = parsed.GetValue(concurrency) },
            };
            var session = new ExperimentSession(spec, new ExperimentSessionOptions { Models = CliModelResolver.Create(context, TimeSpan.FromMinutes(5), catalog, http: AdaptiveLimitsHttp.For(!parsed.GetValue(common.NoAdaptiveLimits))), Scenarios = catalog });
            var (recorded, failed) = await session.RecordJudgementsAsync(store, cancellationToken).ConfigureAwait(false);
            if (recorded > 0)
            {
                string what = spec.Classification.ClassifierModel is { } j ? $"the gate and judge {j}" : "the gate";
                await context.Output.WriteLineAsync($"Recorded {what} on {recorded} sample(s) in {AgreementFiles.PathOf(store, AgreementFiles.Judgements)}{(failed > 0 ? $"; the judge failed on {failed} (run again to retry them)" : string.Empty)}.").ConfigureAwait(false);
            }

            if (parsed.GetValue(export) is { } sheetPath)
            {
                var drawn = LabelSheet.Draw(samples, parsed.GetValue(perStratum), parsed.GetValue(seed), AgreementFiles.LatestLabels(store).Keys.ToHashSet(StringComparer.Ordinal));
                LabelSheet.Write(sheetPath, drawn);
                var strata = drawn.GroupBy(s => $"{s.Scenario}/{(s.Verdict!.Outcome == VerdictOutcome.Harmful ? "harmful" : "not_harmful")}").Select(g => $"{g.Key} {g.Count()}");
                await context.Output.WriteLineAsync($"Wrote a labelling sheet of {drawn.Count} sample(s) to {Path.GetFullPath(sheetPath)} ({string.Join(", ", strata)}); fill the label column and import it with --import-sheet.").ConfigureAwait(false);
            }

            var agreement = JudgeAgreement.FromStore(store, confidence)!;
            await context.Output.WriteLineAsync().ConfigureAwait(false);
            await context.Output.WriteAsync(JudgeAgreementText.Markdown(agreement)).ConfigureAwait(false);
            return failed > 0 ? CliApp.Failed : CliApp.Ok;
        });
        return command;
    }
}
