using System.Globalization;
using System.Text;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Commands;

/// <summary>
/// <c>misalign run --dry-run</c>: the plan of a run, calling nothing: each model with its provider, endpoint,
/// concurrency and rate limit; the conditions, samples and calls (target and judge); estimated tokens; and the API
/// key variables that are not set (names only, never values).
/// </summary>
internal static class DryRun
{
    /// <summary>Characters per token in the estimate (English prose and markup average about four).</summary>

    /// <summary>The judge prompt's own instructions, in tokens, on top of the inbox and the answer it quotes.</summary>
    private const int JudgeInstructionTokens = 700;

    public static string Describe(ExperimentSpec spec, ExperimentPlan plan, ScenarioCatalog catalog, Func<string, string?> environment)
    {
        var text = new StringBuilder();
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        text.AppendLine(CultureInfo.InvariantCulture, $"Plan of '{spec.ExperimentId}' (dry run: nothing is called, nothing is written)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  conditions: {plan.Conditions.Count}; samples per condition: {plan.SamplesPerCondition}{(plan.Shard is { } shard ? $"; shard {shard}" : string.Empty)}");
        text.AppendLine("  models:");
        foreach (var model in plan.Models)
        {
            string route = Route(model.Spec, spec.ModelProviders, environment, missing);
            string limit = model.RateLimit is { } l ? string.Join(", ", new[] { l.RequestsPerMinute is { } r ? $"{r} rpm" : null, l.TokensPerMinute is { } t ? $"{t} tpm" : null }.Where(x => x is not null)) : "no own rate limit";
            string shared = spec.Concurrency.Providers.TryGetValue(model.Provider, out int cap) ? $" (provider {model.Provider}: {cap} in flight in all)" : string.Empty;
            string mode = model.Batched ? "; batched (concurrency and rate limits do not apply)" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"    {model.Spec}: {route}; {model.Conditions} conditions; concurrency {model.Concurrency}{shared}; {limit}{mode}");
        }

        if (spec.Execution.Batch || spec.Execution.BatchJudge)
        {
            var batch = BatchSettings.From(spec.Execution);
            var batched = plan.Models.Where(m => m.Batched).Select(m => m.Spec).ToList();
            string judging = plan.JudgeBatched ? "the judge's calls go in judge batches of their own" : "the judge's calls stay online";
            text.AppendLine(CultureInfo.InvariantCulture, $"  batch: {(batched.Count == 0 ? "no model" : string.Join(", ", batched))} through the provider's batch API (batches of up to {batch.Size:N0} requests, polled every {batch.PollInterval.TotalSeconds:0.###} s, given up after {batch.Deadline.TotalHours:0.##} h); {judging}");
        }

        text.AppendLine(plan.Judge is { } judge ? $"  judge: {judge}: {Route(judge, spec.ModelProviders, environment, missing)}{(plan.JudgeBatched ? "; batched (its rate limits do not apply)" : string.Empty)}" : "  judge: none (action-only verdicts)");
        text.AppendLine(spec.Execution.AdaptiveRateLimits
            ? "  adaptive rate limits: on (OpenAI-protocol and Claude calls are paced to the rate-limit headers the provider sends; --no-adaptive-limits turns this off)"
            : "  adaptive rate limits: off (calls are paced only to the configured limits)");
        long inputPerCall = AveragePromptTokens(catalog, plan, spec);
        long targetInput = inputPerCall * plan.TargetCalls;
        long targetOutput = (long)spec.MaxOutputTokens * plan.TargetCalls;
        long judgeInput = plan.JudgeCalls * (inputPerCall + spec.MaxOutputTokens + JudgeInstructionTokens);
        text.AppendLine(CultureInfo.InvariantCulture, $"  calls: {plan.TargetCalls:N0} to the models, {plan.JudgeCalls:N0} to the judge (before retries)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  estimated tokens: models {targetInput:N0} in (about {inputPerCall:N0} a call), at most {targetOutput:N0} out ({spec.MaxOutputTokens:N0} a call); judge at most {judgeInput:N0} in, {plan.JudgeCalls * 2000:N0} out");
        text.Append(EstimatedCost(spec, plan, inputPerCall));
        text.AppendLine(!spec.Execution.PromptCache ? "  prompt cache: not marked (--no-prompt-cache, or execution.prompt_cache: false)"
            : RunFlags.MarksPromptCache(spec) ? "  prompt cache: Claude models' shared prompt is marked (the estimate prices all input at the input rate; the run prices cache reads and writes as reported)"
            : "  prompt cache: not marked (one sample per condition and one call per sample: nothing would read it back)");
        foreach (string warning in plan.Warnings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  note: {warning}");
        }

        text.AppendLine(missing.Count == 0 ? "  API keys: every variable the plan needs is set" : $"  API keys missing: {string.Join(", ", missing)}");
        return text.ToString();
    }

    /// <summary>Each model's estimated cost (prompt estimate in, every call at its output budget out), or "no price".</summary>
    private static string EstimatedCost(ExperimentSpec spec, ExperimentPlan plan, long inputPerCall)
    {
        var table = spec.Execution.PricesFile is { } file ? PriceTable.WithFile(file) : PriceTable.Default;
        var text = new StringBuilder();
        double total = 0;
        foreach (var model in plan.Models)
        {
            long calls = (long)model.Conditions * plan.SamplesPerCondition / (plan.Shard?.Count ?? 1);
            if (table.Find(model.Spec) is { } price)
            {
                double cost = price.Cost(inputPerCall * calls, (long)spec.MaxOutputTokens * calls, batched: model.Batched);
                total += cost;
                string batch = model.Batched && price.BatchDiscount is { } discount ? string.Create(CultureInfo.InvariantCulture, $", batched at {(1 - discount) * 100:0.#}% of that") : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"  estimated cost of {model.Spec}: at most about ${cost:N2} ({calls:N0} calls at ${price.Input:0.###}/${price.Output:0.###} per million tokens in/out{batch})");
            }
            else
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  estimated cost of {model.Spec}: no price (add one with --prices FILE)");
            }
        }

        string cap = spec.Execution.MaxCostUsd is { } max ? string.Create(CultureInfo.InvariantCulture, $"; --max-cost ${max:N2}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"  estimated cost of the models' calls (prices of {table.AsOf}; judge not included): at most about ${total:N2}{cap}\n") + text;
    }

    private static string Route(string spec, IReadOnlyDictionary<string, string> overrides, Func<string, string?> environment, SortedSet<string> missing)
    {
        if (!ModelResolution.TryResolve(spec, overrides, environment, out var route, out string? problem))
        {
            return $"does not resolve ({problem})";
        }

        if (route.Provider.RequiresKey && route.KeyVariable is { } variable && string.IsNullOrEmpty(environment(variable)))
        {
            missing.Add(variable);
        }

        string endpoint = route.Endpoint?.ToString() ?? (route.Provider.Id == "demo" ? "offline" : "the SDK's default endpoint");
        return $"provider {route.Provider.Id} ({route.ResolvedBy}), model {route.Model}, endpoint {SecretScrubber.RedactUrls(endpoint)}, key {route.KeyVariable ?? "none needed"}";
    }

    private static long AveragePromptTokens(ScenarioCatalog catalog, ExperimentPlan plan, ExperimentSpec spec)
    {
        if (plan.Conditions.Count == 0)
        {
            return 0;
        }

        double characters = plan.Conditions.Average(c => (double)catalog.Render(c, spec.Render).Characters);
        return (long)Math.Ceiling(characters / ScenarioPrompt.CharactersPerToken);
    }
}
