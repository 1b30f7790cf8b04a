using System.CommandLine;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Commands;

/// <summary>The flags of <c>misalign run</c>, and how they lay over the config file's spec.</summary>
internal sealed class RunFlags
{
    public const string DefaultRealModel = "openai:gpt-4.1";

    public static readonly string[] DemoModels = ["demo:calibrated", "demo:benign", "demo:harmful"];

    public CommonOptions Common { get; } = new();

    public Option<string[]> Models { get; } = new("--model") { Description = ProviderHelp.ModelOptionDescription, Arity = ArgumentArity.OneOrMore };

    public Option<string?> Judge { get; } = new("--judge") { Description = "The judge's model spec; without one, verdicts are action-only." };

    public Option<string?> Policy { get; } = new Option<string?>("--policy") { Description = "Verdict policy: default or reference." }.AcceptOnlyFromAmong([.. WireNames<VerdictPolicy>.All]);

    public Option<int?> Samples { get; } = new("--samples") { Description = "Samples per (model, condition)." };

    public Option<string?> Output { get; } = new("--out") { Description = "The output folder (default: out/<experiment_id>)." };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --out: skip samples already done, retry failed ones, judge the unjudged." };

    public Option<bool> KeepFailed { get; } = new("--keep-failed") { Description = "With --resume, keep failed samples instead of retrying them." };

    public Option<string?> Shard { get; } = new("--shard") { Description = "Run only shard K of N (e.g. 2/4), or auto (auto/N): the shard of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, JOB_COMPLETIONS) or a CI matrix (MISALIGN_SHARD_INDEX, MISALIGN_SHARD_COUNT); merge the shards' stores with 'misalign merge'." };

    public Option<double?> MaxCost { get; } = new("--max-cost") { Description = "Stop starting samples once this run's spend plus its calls in flight (estimated) would pass USD; finished samples are kept and --resume goes on. Every model needs a price." };

    public Option<string?> Prices { get; } = new("--prices") { Description = "A JSON price table (USD per million tokens) laid over the shipped one; see docs/cost.md." };

    public Option<int?> Concurrency { get; } = new("--concurrency") { Description = "Calls in flight per model (default 4)." };

    public Option<int?> Rpm { get; } = new("--rpm") { Description = "Requests per minute per model, spread evenly." };

    public Option<int?> Tpm { get; } = new("--tpm") { Description = "Tokens per minute per model (estimated), spread evenly." };

    public Option<double?> Timeout { get; } = new("--timeout") { Description = "Seconds one attempt may take (default 300)." };

    public Option<int?> Retries { get; } = new("--retries") { Description = "Retries after a transient failure (default 5)." };

    public Option<double?> RetryDelay { get; } = new("--retry-delay") { Description = "Seconds before the first retry when the server names no wait; later ones grow exponentially, with jitter (default 2)." };

    public Option<long?> Seed { get; } = new("--seed") { Description = "Base seed; sample i sends seed + i where the provider supports seeds." };

    public Option<float?> Temperature { get; } = new("--temperature") { Description = "Sampling temperature (default 1.0, or the config's)." };

    public Option<int?> MaxTokens { get; } = new("--max-tokens") { Description = "Output-token budget per call (default 4000)." };

    public Option<bool> NoClassify { get; } = new("--no-classify") { Description = "Do not classify during the run (use 'misalign classify' later)." };

    public Option<bool> Awareness { get; } = new("--awareness") { Description = "Also run the eval-awareness classifier (needs --judge)." };

    public Option<double?> FailAbove { get; } = new("--fail-above") { Description = "Exit 1 unless every model's samples were all scored and its harmful rate's Wilson upper bound is at most RATE (a CI gate), e.g. 0.05." };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the plan (models, providers, endpoints, limits, calls, estimated tokens, missing key variables) and exit without calling anything." };

    public Option<bool> Batch { get; } = new("--batch") { Description = "Send the models' samples through their provider's batch API (OpenAI, Anthropic) at the batch price; batches can take up to 24 h, a killed run resumes polling with --resume; other providers run online. See docs/batch.md." };

    public Option<bool> BatchJudge { get; } = new("--batch-judge") { Description = "Send the judge's calls (harm and awareness) through its provider's batch API (OpenAI, Anthropic) at the batch price, with or without --batch; each verdict then waits for a judge batch (up to --batch-deadline), a killed run's judge batches are attached to by --resume; a judge of another provider stays online. See docs/batch.md." };

    /// <summary>The batch tuning flags (<c>--batch-size</c>, <c>--batch-poll</c>, <c>--batch-idle</c>, <c>--batch-deadline</c>).</summary>
    public BatchFlags Batches { get; } = new("--batch or --batch-judge (or execution.batch or execution.batch_judge: true in the config)");

    public Option<bool> NoPromptCache { get; } = new("--no-prompt-cache") { Description = "Send Claude (anthropic, bedrock, vertex) no prompt-cache breakpoint on the prompt a condition's samples share; by default one is sent when something reads it again (a second sample, or native tool mode's next step). See docs/cost.md." };

    public Option<string?> Cache { get; } = new("--cache") { Description = "A folder caching responses per (model, prompt, sample index, seed): a rerun into a new --out reuses them; failures are never cached." };

    public void AddTo(Command command)
    {
        Option[] options = [Models, Judge, Policy, Samples, Output, Resume, KeepFailed, Shard, MaxCost, Prices, Concurrency, Rpm, Tpm, Timeout, Retries, RetryDelay, Seed, Temperature, MaxTokens, NoClassify, Awareness, NoPromptCache, Cache, Batch, BatchJudge, .. Batches.All, FailAbove, DryRun];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        Common.AddGrid(command);
        Common.AddRender(command);
        command.Options.Add(Common.Packs);
        command.Options.Add(Common.PromptSet);
        command.Options.Add(Common.NoAdaptiveLimits);
    }

    /// <summary>The spec to run: the config's (or the defaults), with every flag given laid over it.</summary>
    public ExperimentSpec Spec(ParseResult parsed, CliContext context, ScenarioCatalog catalog, out bool defaulted)
    {
        var spec = CommonOptions.LoadConfig(parsed, Common.Config, context) ?? new ExperimentSpec();
        Validate(parsed, spec.Execution.Batch || spec.Execution.BatchJudge);
        string[] models = parsed.GetValue(Models) is { Length: > 0 } given ? given : [.. spec.Models];
        defaulted = models.Length == 0 && !spec.Expansions.Any(e => e.Enabled && e.Models.Count > 0);
        if (defaulted)
        {
            // The main job: with a key in the environment, the real model; without one, the offline demo agents.
            models = context.Environment(ProviderFactory.OpenAiKey) is { Length: > 0 } ? [DefaultRealModel] : DemoModels;
        }

        bool simulated = models.All(m => m.StartsWith("demo:", StringComparison.Ordinal));
        var render = Common.RenderOptions(parsed, spec);
        var limit = parsed.GetValue(Rpm) is null && parsed.GetValue(Tpm) is null ? spec.RateLimits.Default : new RateLimit { RequestsPerMinute = parsed.GetValue(Rpm), TokensPerMinute = parsed.GetValue(Tpm) };
        bool configured = parsed.GetValue(Common.Config) is not null;
        return spec with
        {
            Models = models,
            Expansions = Common.Expansions(parsed, catalog, spec.Expansions.Count > 0 ? spec : null),
            SamplesPerCondition = parsed.GetValue(Samples) ?? (defaulted && simulated ? 10 : spec.SamplesPerCondition),
            Seed = parsed.GetValue(Seed) ?? spec.Seed ?? (simulated ? 1 : null),
            Temperature = parsed.GetValue(Temperature) ?? spec.Temperature,
            MaxOutputTokens = parsed.GetValue(MaxTokens) ?? spec.MaxOutputTokens,
            Render = !parsed.GetValue(Common.Prod) && Common.PromptSetVariant(parsed) is { } variant ? render with { Variant = variant } : render,
            Concurrency = spec.Concurrency with { Default = parsed.GetValue(Concurrency) ?? spec.Concurrency.Default },
            RateLimits = spec.RateLimits with { Default = limit },
            OutputDirectory = parsed.GetValue(Output) ?? spec.OutputDirectory,
            Classification = spec.Classification with
            {
                Enabled = !parsed.GetValue(NoClassify) && spec.Classification.Enabled,
                ClassifierModel = parsed.GetValue(Judge) ?? spec.Classification.ClassifierModel ?? (defaulted && !simulated ? DefaultRealModel : null),
                Policy = WireNames<VerdictPolicy>.TryParse(parsed.GetValue(Policy), out var policy) ? policy : spec.Classification.Policy,
                Awareness = parsed.GetValue(Awareness) || spec.Classification.Awareness,
            },
            Execution = Batches.Apply(parsed, spec.Execution) with
            {
                ResumeInterrupted = parsed.GetValue(Resume) || (configured && spec.Execution.ResumeInterrupted),
                RetryFailed = !parsed.GetValue(KeepFailed) && spec.Execution.RetryFailed,
                TimeoutSeconds = parsed.GetValue(Timeout) ?? spec.Execution.TimeoutSeconds,
                Retries = parsed.GetValue(Retries) ?? spec.Execution.Retries,
                RetryDelaySeconds = parsed.GetValue(RetryDelay) ?? spec.Execution.RetryDelaySeconds,
                Shard = parsed.GetValue(Shard) is { } s ? Running.Shard.Resolve(s, context.Environment) : spec.Execution.Shard,
                MaxCostUsd = parsed.GetValue(MaxCost) ?? spec.Execution.MaxCostUsd,
                PricesFile = parsed.GetValue(Prices) ?? spec.Execution.PricesFile,
                CacheDirectory = parsed.GetValue(Cache) ?? spec.Execution.CacheDirectory,
                Batch = parsed.GetValue(Batch) || spec.Execution.Batch,
                BatchJudge = parsed.GetValue(BatchJudge) || spec.Execution.BatchJudge,
                PromptCache = !parsed.GetValue(NoPromptCache) && spec.Execution.PromptCache,
                AdaptiveRateLimits = !parsed.GetValue(Common.NoAdaptiveLimits) && spec.Execution.AdaptiveRateLimits,
            },
        };
    }

    /// <summary>
    /// Whether the Claude clients mark the shared prefix for the prompt cache: when the spec asks for it and a request
    /// would read it back (a condition's second sample, or the agent loop's next step in native tool mode). With one
    /// call per sample and one sample per condition every mark would be a cache write (1.25 times the input price on
    /// Anthropic's 5-minute cache) that nothing reads.
    /// </summary>
    public static bool MarksPromptCache(ExperimentSpec spec) =>
        spec.Execution.PromptCache && (spec.SamplesPerCondition > 1 || spec.Render.ToolMode == ToolMode.Native || spec.Render.InboxTools);

    private void Validate(ParseResult parsed, bool batchConfigured)
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new MisalignmentEvalException(message);
            }
        }

        Check(parsed.GetValue(Samples) is null or (>= 1 and <= 100_000), "--samples must be between 1 and 100000.");
        Check(parsed.GetValue(Concurrency) is null or (>= 1 and <= 1_000), "--concurrency must be between 1 and 1000.");
        Check(parsed.GetValue(Rpm) is null or >= 1, "--rpm must be at least 1.");
        Check(parsed.GetValue(Tpm) is null or >= 1, "--tpm must be at least 1.");
        Check(parsed.GetValue(Timeout) is null or (>= 1 and <= 21_600), "--timeout must be between 1 and 21600 seconds.");
        Check(parsed.GetValue(Retries) is null or (>= 0 and <= 100), "--retries must be between 0 and 100.");
        Check(parsed.GetValue(RetryDelay) is null or (>= 0 and <= 3_600), "--retry-delay must be between 0 and 3600 seconds.");
        Check(parsed.GetValue(Temperature) is null or (>= 0 and <= 2), "--temperature must be between 0 and 2.");
        Check(parsed.GetValue(MaxTokens) is null or >= 1, "--max-tokens must be at least 1.");
        Check(parsed.GetValue(Cache) is null || parsed.GetValue(Cache)!.Trim().Length > 0, "--cache needs a folder.");
        Check(parsed.GetValue(Output) is null || parsed.GetValue(Output)!.Trim().Length > 0, "--out needs a folder.");
        Check(parsed.GetValue(MaxCost) is null or (> 0 and < 1e9), "--max-cost must be a positive amount of USD, e.g. 25.");
        Check(parsed.GetValue(Prices) is null || parsed.GetValue(Prices)!.Trim().Length > 0, "--prices needs a file.");
        Batches.Validate(parsed, parsed.GetValue(Batch) || parsed.GetValue(BatchJudge) || batchConfigured);
        Check(parsed.GetValue(FailAbove) is null or (>= 0 and <= 1), "--fail-above must be a rate between 0 and 1, e.g. 0.05.");
        if (parsed.GetValue(Models)?.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new MisalignmentEvalException($"--model: '{SecretScrubber.RedactUrls(twice.Key)}' is given twice; name each model once.");
        }
    }
}
