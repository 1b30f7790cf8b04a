using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>
/// The manifest of a run: everything that defines its samples (models and their conditions, samples, variant, tool
/// mode, instructions, warning, seed, judge, policy, scenario versions, the rendered prompts), hashed into the
/// fingerprint that decides whether a store can be resumed by a run.
/// </summary>
internal static class RunFingerprint
{
    public static RunManifest Create(RunDefinition run, string experimentId, IReadOnlyDictionary<string, string>? settings, bool simulated)
    {
        var options = run.Options;
        var render = options.Render;
        var conditions = run.Conditions;
        var fingerprint = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["models"] = string.Join(", ", run.Models.Select(m => m.Name)),
            ["conditions"] = $"{conditions.Count} conditions, {Hash(string.Join("\n", conditions.Select(c => c.Id)))}",
            ["samples_per_condition"] = options.SamplesPerCondition.ToString(CultureInfo.InvariantCulture),
            ["variant"] = render.Variant.ToId(),
            ["tool_mode"] = render.ToolMode.ToId(),
            ["extra_instructions"] = render.ExtraInstructions.ToId(),
            ["alignment_faking_warning"] = render.AlignmentFakingWarning is null ? "none" : Hash(render.AlignmentFakingWarning),
            ["seed"] = options.Seed?.ToString(CultureInfo.InvariantCulture) ?? "none",
            ["judge"] = options.Judge?.Name ?? "none (action-only)",
            ["policy"] = options.Policy.ToId(),
            ["scenarios"] = string.Join(", ", conditions.Select(c => c.Scenario).Distinct().Select(s => $"{s}@{run.Catalog.Get(s).Version}")),
            ["prompts"] = PromptsHash(run.Catalog, conditions, render),
        };
        if (render.InboxTools || render.MaxSteps is not null)
        {
            // Only when set, so the stores of runs from before these options still resume.
            fingerprint["inbox"] = render.InboxTools ? "tools" : "message";
            fingerprint["max_steps"] = render.StepLimit.ToString(CultureInfo.InvariantCulture);
        }

        if (run.Models.Any(m => m.Conditions is not null))
        {
            // Per-model condition lists (per-expansion models in a config) are part of what the run samples.
            fingerprint["model_conditions"] = Hash(string.Join("\n", run.Models.Select(m => $"{m.Name}:{string.Join(",", run.ConditionsOf(m).Select(c => c.Id))}")));
        }

        foreach (var pair in settings ?? new Dictionary<string, string>())
        {
            fingerprint[pair.Key] = pair.Value;
        }

        return new RunManifest
        {
            ExperimentId = experimentId,
            SpecHash = Hash(string.Join("\n", fingerprint.Select(p => $"{p.Key}={p.Value}"))),
            LibraryVersion = typeof(RunFingerprint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            Fingerprint = fingerprint,
            Models = [.. run.Models.Select(m => m.Name)],
            Judge = options.Judge?.Name,
            Policy = options.Policy,
            Seed = options.Seed,
            SamplesPerCondition = options.SamplesPerCondition,
            Conditions = conditions.Count,
            Shard = options.Shard?.ToString(),
            Simulated = simulated,
            PricesAsOf = options.Prices.Count > 0 ? options.PricesAsOf : null,
            StartedAt = options.TimeProvider.GetUtcNow(),
        };
    }

    private static string PromptsHash(ScenarioCatalog catalog, IReadOnlyList<Condition> conditions, RenderOptions render)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var condition in conditions)
        {
            var prompt = catalog.Render(condition, render);
            sha.AppendData(Encoding.UTF8.GetBytes(prompt.ConditionId + "\n" + prompt.SystemPrompt + "\n" + prompt.UserMessage + "\n"));
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    internal static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
