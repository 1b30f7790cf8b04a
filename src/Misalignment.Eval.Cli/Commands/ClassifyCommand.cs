using System.CommandLine;
using Misalignment.Eval.Abstractions;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Conditions;
using Misalignment.Eval.Configuration;
using Misalignment.Eval.Results;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign classify</c>: (re)classify the samples of a result store; verdicts are appended as verdict records.</summary>
internal static class ClassifyCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var results = new Option<string>("--results") { Description = "The result folder (or its results.jsonl).", Required = true };
        var judge = new Option<string?>("--judge") { Description = "The judge's model spec; without one, verdicts are action-only." };
        var policy = new Option<string>("--policy") { Description = "Verdict policy: default or reference.", DefaultValueFactory = _ => "default" };
        policy.AcceptOnlyFromAmong("default", "reference");
        var force = new Option<bool>("--force") { Description = "Classify samples that already have a verdict too." };
        var concurrency = new Option<int>("--concurrency") { Description = "Judge calls in flight (default 4).", DefaultValueFactory = _ => 4 };
        var command = new Command("classify", "Classify the samples of a result store (those without a verdict, or all with --force).");
        foreach (var option in new Option[] { results, judge, policy, force, concurrency, common.Packs, common.PromptSet, common.AlignmentFakingWarning })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            string path = StorePath(parsed.GetValue(results)!);
            if (parsed.GetValue(concurrency) is < 1 or > 1_000)
            {
                throw new MisalignmentEvalException("--concurrency must be between 1 and 1000.");
            }

            var catalog = common.Catalog(parsed);
            using var factory = new ModelFactory(context, new RateLimitSpec(), TimeSpan.FromMinutes(5), TimeProvider.System);
            var judgeModel = parsed.GetValue(judge) is { } spec ? factory.CreateJudge(spec, new JudgeOptions()) : null;
            var verdictPolicy = parsed.GetValue(policy) == "reference" ? VerdictPolicy.Reference : VerdictPolicy.Default;
            bool all = parsed.GetValue(force);
            var todo = ResultReader.ReadSamples(path).Where(s => s.Status == SampleStatus.Ok && s.Response is not null && (all || s.Verdict is null)).ToList();
            int harmful = 0, scored = 0, judgeFailures = 0;
            var manifest = ResultReader.ReadManifest(path);
            bool imported = manifest.SpecHash == "imported";
            var extra = manifest.Fingerprint.GetValueOrDefault("extra_instructions") switch
            {
                "dont" => ExtraInstructions.Dont,
                "goal" => ExtraInstructions.Goal,
                _ => ExtraInstructions.None,
            };
            await using var store = ResultStore.Resume(path, ResultReader.ReadManifest(path), retryFailed: false, out _);
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = parsed.GetValue(concurrency), CancellationToken = cancellationToken }, async (sample, token) =>
            {
                var condition = Condition.Parse(sample.ConditionId, out var variant);
                if (!Classifiers.Kinds.Contains(condition.Scenario))
                {
                    return;
                }

                ScenarioPrompt prompt;
                if (imported || sample.PromptHash is null)
                {
                    // Results imported from the reference layout carry no prompt: classify them with the reference scenarios' parameters.
                    prompt = new ScenarioPrompt
                    {
                        Condition = condition,
                        Options = new RenderOptions { Variant = variant },
                        SystemPrompt = string.Empty,
                        UserInstruction = string.Empty,
                        EmailContent = string.Empty,
                        ClassifierParameters = Compatibility.ReferenceProfile.ParametersFor(condition.Scenario),
                    };
                }
                else
                {
                    prompt = catalog.Render(condition, common.RenderOptions(parsed, null) with { Variant = variant, ToolMode = sample.ToolMode == "native" ? ToolMode.Native : ToolMode.Text, ExtraInstructions = extra });
                    if (prompt.ContentHash != sample.PromptHash)
                    {
                        throw new MisalignmentEvalException($"Sample '{sample.Key}' was sent a different prompt than the scenarios here render (the run used another pack, prompt set, warning text or scenario version); pass the same --pack, --prompt-set or --alignment-faking-warning as the run.");
                    }
                }

                var verdict = await Classifiers.ForScenario(condition.Scenario, judgeModel, verdictPolicy).ClassifyAsync(prompt, RecordMapping.ToResponse(sample.Response!), token).ConfigureAwait(false);
                if (verdict.JudgeFailed)
                {
                    Interlocked.Increment(ref judgeFailures);
                }

                if (verdict.IsScored)
                {
                    Interlocked.Increment(ref scored);
                    if (verdict.Outcome == VerdictOutcome.Harmful)
                    {
                        Interlocked.Increment(ref harmful);
                    }
                }

                await store.AppendAsync(new VerdictRecord { Key = sample.Key, Verdict = RecordMapping.ToRecorded(verdict, verdictPolicy) }, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"Classified {todo.Count} samples in {path}: harmful {harmful} of {scored} scored ({(judgeModel is null ? "action-only" : $"judge {judgeModel.Name}")}, {parsed.GetValue(policy)} policy).").ConfigureAwait(false);
            if (judgeFailures > 0)
            {
                await context.Error.WriteLineAsync($"misalign: error: the judge failed on {judgeFailures} sample(s); they are unscorable. Fix the judge and run classify again.").ConfigureAwait(false);
                return CliApp.Failed;
            }

            return CliApp.Ok;
        });
        return command;
    }

    internal static string StorePath(string path) =>
        Directory.Exists(path) ? Path.Combine(path, ResultStore.FileName) : path;
}
