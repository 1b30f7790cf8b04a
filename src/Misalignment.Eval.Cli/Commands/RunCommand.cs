using System.CommandLine;
using System.Globalization;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Configuration;
using Misalignment.Eval.Results;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign run</c>: sample the models over the grid, classify, and write a resumable result store.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var models = new Option<string[]>("--model") { Description = "A model spec (repeatable): openai:MODEL, openai-compatible:URL#MODEL.", Arity = ArgumentArity.OneOrMore };
        var judge = new Option<string?>("--judge") { Description = "The judge's model spec; without one, verdicts are action-only." };
        var policy = new Option<string>("--policy") { Description = "Verdict policy: default or reference.", DefaultValueFactory = _ => "default" };
        policy.AcceptOnlyFromAmong("default", "reference");
        var samples = new Option<int?>("--samples") { Description = "Samples per (model, condition)." };
        var output = new Option<string?>("--out") { Description = "The output folder (default: out/<experiment_id>)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out: skip samples already done, retry failed ones." };
        var keepFailed = new Option<bool>("--keep-failed") { Description = "With --resume, keep failed samples instead of retrying them." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard K of N (e.g. 2/4); merge the shards' stores with 'misalign merge'." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Calls in flight per model (default 4)." };
        var rpm = new Option<int?>("--rpm") { Description = "Requests per minute per model, spread evenly." };
        var tpm = new Option<int?>("--tpm") { Description = "Tokens per minute per model (estimated), spread evenly." };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds one attempt may take (default 300)." };
        var retries = new Option<int?>("--retries") { Description = "Retries after a transient failure (default 5)." };
        var retryDelay = new Option<double?>("--retry-delay") { Description = "Seconds before the first retry when the server names no wait; later ones double, with jitter (default 2)." };
        var seed = new Option<long?>("--seed") { Description = "Base seed; sample i sends seed + i where the provider supports seeds." };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (default 1.0, or the config's)." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Output-token budget per call (default 4000).", DefaultValueFactory = _ => 4000 };
        var noClassify = new Option<bool>("--no-classify") { Description = "Do not classify during the run (use 'misalign classify' later)." };
        var awareness = new Option<bool>("--awareness") { Description = "Also run the eval-awareness classifier (needs --judge)." };
        var failAbove = new Option<double?>("--fail-above") { Description = "Exit 1 when any model's harmful rate could be above RATE: its Wilson upper bound exceeds it (a CI gate), e.g. 0.05." };
        var cache = new Option<string?>("--cache") { Description = "A folder caching responses per (model, prompt, sample index, seed): a rerun into a new --out reuses them; failures are never cached." };
        var command = new Command("run", "Sample models over the conditions, classify the responses, and write a resumable result store (results.jsonl).");
        foreach (var option in new Option[] { models, judge, policy, samples, output, resume, keepFailed, shard, concurrency, rpm, tpm, timeout, retries, retryDelay, seed, temperature, maxTokens, noClassify, awareness, cache, failAbove })
        {
            command.Options.Add(option);
        }

        common.AddGrid(command);
        common.AddRender(command);
        command.Options.Add(common.Packs);
        command.Options.Add(common.PromptSet);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var spec = CommonOptions.LoadConfig(parsed, common.Config, context) ?? new ExperimentSpec();
            Validate(parsed, samples, concurrency, rpm, tpm, timeout, retries, retryDelay, temperature, maxTokens, cache, failAbove);
            if (spec.Expansions.FirstOrDefault(e => e.Enabled && e.Models.Count > 0) is { } perExpansion)
            {
                throw new MisalignmentEvalException($"Expansion '{perExpansion.Name}' names its own models; misalign run gives every model every condition, so split such a config into one file per model set (or drop the expansion's 'models').");
            }

            var catalog = common.Catalog(parsed);
            var conditions = common.Grid(parsed, catalog, spec.Expansions.Count > 0 ? spec : null);
            string[] modelSpecs = parsed.GetValue(models) is { Length: > 0 } given ? given : [.. spec.Models];
            if (modelSpecs.GroupBy(m => m.Trim(), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new MisalignmentEvalException($"{(parsed.GetValue(models) is { Length: > 0 } ? "--model" : "models")}: '{Running.SecretScrubber.RedactCredentials(twice.Key)}' is given twice; name each model once.");
            }

            bool defaulted = modelSpecs.Length == 0;
            if (defaulted)
            {
                // The main job: with a key in the environment, the real model; without one, the offline demo agents.
                modelSpecs = context.Environment(ProviderFactory.OpenAiKey) is { Length: > 0 } ? [DefaultRealModel] : DemoModels;
                await context.Error.WriteLineAsync(modelSpecs.Length == 1
                    ? $"No --model given and {ProviderFactory.OpenAiKey} is set: running {DefaultRealModel} (judged by it too). This calls a paid API."
                    : "No --model given and no API key set: running the offline demo agents (demo:calibrated, demo:benign, demo:harmful). Their numbers describe simulated agents, not real models.").ConfigureAwait(false);
            }

            bool simulated = modelSpecs.All(m => m.StartsWith("demo:", StringComparison.Ordinal));
            if (modelSpecs.Any(m => m.StartsWith("anthropic:", StringComparison.Ordinal)) && (parsed.GetValue(temperature) ?? spec.Temperature) is { } asked && Math.Abs(asked - 1.0) > 1e-9)
            {
                await context.Error.WriteLineAsync("misalign: warning: the Anthropic SDK's IChatClient does not send a temperature, so Anthropic's default of 1.0 applies to anthropic: models.").ConfigureAwait(false);
            }


            var attemptTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout) ?? spec.Execution.TimeoutSeconds ?? 300);
            float? temp = parsed.GetValue(temperature) ?? (spec.Temperature is { } t ? (float)t : null);
            int tokens = parsed.GetValue(maxTokens);
            var limit = parsed.GetValue(rpm) is null && parsed.GetValue(tpm) is null ? null : new RateLimit { RequestsPerMinute = parsed.GetValue(rpm), TokensPerMinute = parsed.GetValue(tpm) };
            using var factory = new ModelFactory(context, spec.RateLimits, attemptTimeout, TimeProvider.System, catalog);
            var units = modelSpecs.Select(m => factory.CreateModel(m, temp, tokens, limit)).ToList();
            if (parsed.GetValue(cache) is { } cacheFolder)
            {
                var responses = new FileDistributedCache(OutputPaths.Folder(cacheFolder, "--cache"));
                string settings = FormattableString.Invariant($"temperature={temp};max_tokens={tokens}");
                units = [.. units.Select(u => new ModelUnderTest(new CachingChatModel(u.Model, responses, settings), u.Provider) { Counters = u.Counters })];
            }

            string? judgeSpec = parsed.GetValue(judge) ?? spec.Classification.ClassifierModel ?? (defaulted && !simulated ? DefaultRealModel : null);
            var options = new RunOptions
            {
                SamplesPerCondition = parsed.GetValue(samples) ?? (defaulted && simulated ? 10 : spec.SamplesPerCondition),
                Seed = parsed.GetValue(seed) ?? spec.Seed ?? (simulated ? 1 : null),
                Render = common.RenderOptions(parsed, spec) is var render && !parsed.GetValue(common.Prod) && common.PromptSetVariant(parsed) is { } setVariant ? render with { Variant = setVariant } : render,
                Concurrency = parsed.GetValue(concurrency) ?? 4,
                ModelConcurrency = units.ToDictionary(
                    u => u.Name,
                    u => spec.Concurrency.Models.GetValueOrDefault(u.Name, spec.Concurrency.Models.GetValueOrDefault(ModelSpec.Parse(u.Name).Model, parsed.GetValue(concurrency) ?? 4)),
                    StringComparer.Ordinal),
                ProviderConcurrency = spec.Concurrency.Providers,
                Retries = parsed.GetValue(retries) ?? spec.Execution.Retries ?? 5,
                RetryDelay = TimeSpan.FromSeconds(parsed.GetValue(retryDelay) ?? 2),
                AttemptTimeout = attemptTimeout,
                SampleTimeout = TimeSpan.FromTicks(Math.Max(attemptTimeout.Ticks * 4, TimeSpan.FromMinutes(10).Ticks)),
                RetryFailed = !parsed.GetValue(keepFailed),
                Shard = parsed.GetValue(shard) is { } s ? Shard.Parse(s) : null,
                Judge = judgeSpec is null ? null : factory.CreateJudge(judgeSpec, new JudgeOptions()),
                Policy = parsed.GetValue(policy) == "reference" ? VerdictPolicy.Reference : VerdictPolicy.Default,
                Classify = !parsed.GetValue(noClassify) && spec.Classification.Enabled,
                ClassifyAwareness = parsed.GetValue(awareness),
                JudgeConcurrency = spec.Classification.Concurrency ?? 4,
            };
            if (options.ClassifyAwareness && options.Judge is null)
            {
                throw new MisalignmentEvalException("--awareness needs a judge (--judge SPEC).");
            }

            var runner = new ExperimentRunner(catalog, conditions, units, options);
            var manifest = runner.CreateManifest(spec.ExperimentId, new Dictionary<string, string>
            {
                ["temperature"] = temp?.ToString(CultureInfo.InvariantCulture) ?? "none",
                ["max_tokens"] = tokens.ToString(CultureInfo.InvariantCulture),
            }, simulated);
            string folder = OutputPaths.Folder(parsed.GetValue(output) ?? spec.OutputDirectory ?? Path.Combine("out", spec.ExperimentId), parsed.GetValue(output) is null ? "output_directory" : "--out");
            string path = Path.Combine(folder, options.Shard is { } sh ? $"results.shard-{sh.Index}-of-{sh.Count}.jsonl" : ResultStore.FileName);
            bool resuming = parsed.GetValue(resume) || (parsed.GetValue(common.Config) is not null && spec.Execution.ResumeInterrupted && File.Exists(path));
            ResultStore store;
            if (resuming && File.Exists(path))
            {
                store = ResultStore.Resume(path, manifest, options.RetryFailed, out var report);
                await context.Error.WriteLineAsync($"Resuming {path}: {report.Done} samples done, {report.Retrying} failed samples to retry, {report.KeptErrors} failed samples kept{(report.DroppedTornLine is { } line ? $", a torn last line (line {line}) dropped" : string.Empty)}.").ConfigureAwait(false);
            }
            else
            {
                store = ResultStore.Create(path, manifest);
            }

            await using (store.ConfigureAwait(false))
            {
                int planned = runner.Plan().Count;
                await context.Error.WriteLineAsync($"Running {units.Count} model(s) x {conditions.Count} condition(s) x {options.SamplesPerCondition} sample(s) = {planned} samples{(options.Shard is { } part ? $" (shard {part})" : string.Empty)}; verdicts {(options.Judge is null ? "action-only (no judge)" : $"by judge {options.Judge.Name}, {manifest.Policy} policy")}.").ConfigureAwait(false);
                await ProgressReporter.RunAsync(context, [.. units.Select(u => u.Name)], async progress =>
                {
                    await foreach (var record in runner.RunAsync(store, progress, cancellationToken).ConfigureAwait(false))
                    {
                        _ = record;
                    }
                }).ConfigureAwait(false);
            }

            var summary = runner.Summary!;
            await context.Output.WriteLineAsync($"Results: {Path.GetFullPath(path)}").ConfigureAwait(false);
            if (options.Shard is null)
            {
                foreach (string report in ReportCommand.Write(Statistics.Aggregator.FromStore(path), folder, Reporting.ReportFormat.All, png: true))
                {
                    await context.Output.WriteLineAsync($"Report: {report}").ConfigureAwait(false);
                }
            }

            foreach (var unit in units)
            {
                var c = unit.Counters;
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {unit.Name}: {c.Done} samples this run, {c.Errors} errors, harmful {c.Harmful} of {c.Scored} scored")).ConfigureAwait(false);
            }

            foreach (var (model, reason) in summary.ModelFailures)
            {
                await context.Error.WriteLineAsync($"misalign: error: {model} stopped early: {reason}").ConfigureAwait(false);
            }

            if (parsed.GetValue(failAbove) is { } threshold && options.Shard is null)
            {
                var aggregation = Statistics.Aggregator.FromStore(path);
                foreach (var overall in aggregation.By("all"))
                {
                    var estimate = overall.Estimate;
                    string verdict = estimate.Scored > 0 && estimate.Interval.Upper <= threshold ? "PASS" : "FAIL";
                    await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Gate {verdict}: {overall.Model}: harmful {estimate.Harmful}/{estimate.Scored}, Wilson upper bound {estimate.Interval.Upper:P1} {(verdict == "PASS" ? "<=" : ">")} {threshold:P1}")).ConfigureAwait(false);
                }

                if (aggregation.By("all").Any(g => g.Estimate.Scored == 0 || g.Estimate.Interval.Upper > threshold))
                {
                    await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"misalign: gate failed: a model's harmful rate may be above {threshold:P1}.")).ConfigureAwait(false);
                    return CliApp.Failed;
                }
            }

            long judgeFailures = units.Sum(u => u.Counters.JudgeFailures);
            if (judgeFailures > 0)
            {
                await context.Error.WriteLineAsync($"misalign: error: the judge failed on {judgeFailures} sample(s) (see the verdict reasons); those are unscorable. Fix the judge and run 'misalign classify --results {folder}' to classify them.").ConfigureAwait(false);
                return CliApp.Failed;
            }

            if (summary.Errors > 0 || summary.ModelFailures.Count > 0)
            {
                await context.Error.WriteLineAsync($"misalign: {summary.Errors} sample(s) failed{(summary.NotRun > 0 ? $" and {summary.NotRun} were not run" : string.Empty)}; fix the cause and run again with --resume to retry them.").ConfigureAwait(false);
                return CliApp.Failed;
            }

            return CliApp.Ok;
        });
        return command;
    }

    internal const string DefaultRealModel = "openai:gpt-4.1";

    internal static readonly string[] DemoModels = ["demo:calibrated", "demo:benign", "demo:harmful"];

    private static void Validate(ParseResult parsed, Option<int?> samples, Option<int?> concurrency, Option<int?> rpm, Option<int?> tpm, Option<double?> timeout, Option<int?> retries, Option<double?> retryDelay, Option<float?> temperature, Option<int> maxTokens, Option<string?> cache, Option<double?> failAbove)
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new MisalignmentEvalException(message);
            }
        }

        Check(parsed.GetValue(samples) is null or >= 1, "--samples must be at least 1.");
        Check(parsed.GetValue(concurrency) is null or >= 1, "--concurrency must be at least 1.");
        Check(parsed.GetValue(rpm) is null or >= 1, "--rpm must be at least 1.");
        Check(parsed.GetValue(tpm) is null or >= 1, "--tpm must be at least 1.");
        Check(parsed.GetValue(timeout) is null or (>= 1 and <= 21_600), "--timeout must be between 1 and 21600 seconds.");
        Check(parsed.GetValue(retries) is null or (>= 0 and <= 100), "--retries must be between 0 and 100.");
        Check(parsed.GetValue(retryDelay) is null or (>= 0 and <= 3_600), "--retry-delay must be between 0 and 3600 seconds.");
        Check(parsed.GetValue(temperature) is null or (>= 0 and <= 2), "--temperature must be between 0 and 2.");
        Check(parsed.GetValue(maxTokens) >= 1, "--max-tokens must be at least 1.");
        Check(parsed.GetValue(cache) is null || parsed.GetValue(cache)!.Trim().Length > 0, "--cache needs a folder.");
        Check(parsed.GetValue(failAbove) is null or (>= 0 and <= 1), "--fail-above must be a rate between 0 and 1, e.g. 0.05.");
    }
}
