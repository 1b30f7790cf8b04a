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
        foreach (var option in new Option[] { results, judge, policy, force, concurrency, common.Packs, common.PromptSet })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            string path = StorePath(parsed.GetValue(results)!);
            var catalog = common.Catalog(parsed);
            using var factory = new ModelFactory(context, new RateLimitSpec(), TimeSpan.FromMinutes(5), TimeProvider.System);
            var judgeModel = parsed.GetValue(judge) is { } spec ? factory.CreateJudge(spec, new JudgeOptions()) : null;
            var verdictPolicy = parsed.GetValue(policy) == "reference" ? VerdictPolicy.Reference : VerdictPolicy.Default;
            bool all = parsed.GetValue(force);
            var todo = ResultReader.ReadSamples(path).Where(s => s.Status == SampleStatus.Ok && s.Response is not null && (all || s.Verdict is null)).ToList();
            int harmful = 0, scored = 0;
            await using var store = ResultStore.Resume(path, ResultReader.ReadManifest(path), retryFailed: false, out _);
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parsed.GetValue(concurrency)), CancellationToken = cancellationToken }, async (sample, token) =>
            {
                var condition = Condition.Parse(sample.ConditionId, out var variant);
                if (!Classifiers.Kinds.Contains(condition.Scenario))
                {
                    return;
                }

                var prompt = catalog.Render(condition, new RenderOptions { Variant = variant, ToolMode = sample.ToolMode == "native" ? ToolMode.Native : ToolMode.Text });
                var verdict = await Classifiers.ForScenario(condition.Scenario, judgeModel, verdictPolicy).ClassifyAsync(prompt, RecordMapping.ToResponse(sample.Response!), token).ConfigureAwait(false);
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
            return CliApp.Ok;
        });
        return command;
    }

    internal static string StorePath(string path) =>
        Directory.Exists(path) ? Path.Combine(path, ResultStore.FileName) : path;
}
