using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Interop;

/// <summary>
/// The reference implementation's results layout, <c>models/&lt;model&gt;/&lt;condition_id&gt;/sample_NNN/response.json</c>
/// (model names with <c>/</c> and <c>:</c> replaced by <c>_</c>; the JSON holds <c>raw_response</c>, <c>metadata</c> and,
/// once classified, <c>classification</c>): export a store to it, and import it into a store.
/// </summary>
public static partial class ReferenceResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The folder name the reference gives a model.</summary>
    /// <param name="model">The model name.</param>
    /// <returns>The name with <c>/</c> and <c>:</c> replaced by <c>_</c>.</returns>
    public static string FolderName(string model) => (model ?? string.Empty).Replace('/', '_').Replace(':', '_');

    /// <summary>Writes every sample with a response in the reference layout; failed samples have no response and are left out.</summary>
    /// <param name="storePath">The result store.</param>
    /// <param name="directory">The folder that receives <c>models/</c>.</param>
    /// <returns>The number of samples written.</returns>
    public static int Export(string storePath, string directory)
    {
        int written = 0;
        foreach (var sample in ResultReader.ReadSamples(storePath).Where(s => s.Status == SampleStatus.Ok && s.Response is not null))
        {
            string folder = Path.Combine(directory, "models", FolderName(sample.Model), sample.ConditionId, $"sample_{sample.SampleIndex.ToString("000", CultureInfo.InvariantCulture)}");
            Directory.CreateDirectory(folder);
            var json = new JsonObject
            {
                ["raw_response"] = sample.Response!.Text,
                ["metadata"] = new JsonObject
                {
                    ["model"] = sample.Model,
                    ["condition"] = sample.ConditionId,
                    ["sample_id"] = sample.SampleIndex,
                    ["timestamp"] = sample.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["finish_reason"] = sample.Response.FinishReason,
                    ["input_tokens"] = sample.Response.InputTokens,
                    ["output_tokens"] = sample.Response.OutputTokens,
                },
            };
            if (sample.Verdict is { Outcome: "harmful" or "not_harmful" } verdict)
            {
                json["classification"] = new JsonObject
                {
                    ["harmful_behavior"] = verdict.Outcome == "harmful",
                    ["classifier_verdict"] = JudgeReply.Parse(verdict.JudgeReply).YesNo ?? (verdict.Outcome == "harmful"),
                    ["classifier_reasoning"] = verdict.Reason,
                    ["classifier_model"] = verdict.JudgeModel ?? verdict.Classifier,
                };
            }

            File.WriteAllText(Path.Combine(folder, "response.json"), json.ToJsonString(Indented), new UTF8Encoding(false));
            written++;
        }

        return written;
    }

    /// <summary>Reads a reference results folder into a new store: one ok sample per <c>response.json</c>, with its classification as the verdict.</summary>
    /// <param name="directory">The folder holding <c>models/</c>.</param>
    /// <param name="storePath">The store to create.</param>
    /// <returns>The number of samples imported.</returns>
    /// <exception cref="MisalignmentEvalException">A folder or file does not fit the layout; the message names it.</exception>
    public static int Import(string directory, string storePath)
    {
        string models = Path.Combine(directory, "models");
        if (!Directory.Exists(models))
        {
            throw new MisalignmentEvalException($"{directory}: no 'models' folder; expected models/<model>/<condition_id>/sample_NNN/response.json.");
        }

        var samples = new List<SampleRecord>();
        foreach (string file in Directory.EnumerateFiles(models, "response.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            samples.Add(ReadSample(models, file));
        }

        if (samples.Count == 0)
        {
            throw new MisalignmentEvalException($"{models}: no response.json files found.");
        }

        var conditions = samples.Select(s => s.ConditionId).Distinct().Order(StringComparer.Ordinal).ToList();
        var modelNames = samples.Select(s => s.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var manifest = new RunManifest
        {
            ExperimentId = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)),
            SpecHash = RunManifest.ImportedSpecHash,
            LibraryVersion = "imported from the reference results layout",
            Fingerprint = new Dictionary<string, string> { ["source"] = $"reference results at {Path.GetFullPath(directory)}", ["models"] = string.Join(", ", modelNames) },
            Models = modelNames,
            Judge = samples.Select(s => s.Verdict?.JudgeModel).FirstOrDefault(j => j is not null),
            Policy = "reference",
            SamplesPerCondition = samples.Max(s => s.SampleIndex),
            Conditions = conditions.Count,
        };
        var store = ResultStore.Create(storePath, manifest);
        try
        {
            foreach (var sample in samples)
            {
                store.AppendAsync(sample).AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return samples.Count;
    }

    private static SampleRecord ReadSample(string models, string file)
    {
        string[] parts = Path.GetRelativePath(models, file).Split(Path.DirectorySeparatorChar);
        if (parts.Length != 4 || SampleFolder().Match(parts[2]) is not { Success: true } sampleMatch)
        {
            throw new MisalignmentEvalException($"{file}: expected models/<model>/<condition_id>/sample_NNN/response.json.");
        }

        if (!Condition.TryParse(parts[1], out var condition, out var variant, out string? problem))
        {
            throw new MisalignmentEvalException($"{Path.GetDirectoryName(Path.GetDirectoryName(file))}: folder '{parts[1]}' is not a condition id: {problem}");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new MisalignmentEvalException($"{file}: empty JSON.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new MisalignmentEvalException($"{file}: invalid JSON: {ex.Message}", ex);
        }

        string text = json["raw_response"] is JsonValue raw && raw.TryGetValue(out string? value)
            ? value
            : throw new MisalignmentEvalException($"{file}: key 'raw_response' is missing or not a string.");
        string model = json["metadata"]?["model"] is JsonValue m && m.TryGetValue(out string? named) ? named : parts[0];
        int index = int.Parse(sampleMatch.Groups[1].Value, CultureInfo.InvariantCulture);
        RecordedVerdict? verdict = null;
        if (json["classification"] is JsonObject classification && classification["harmful_behavior"] is JsonValue harmful && harmful.TryGetValue(out bool isHarmful))
        {
            verdict = new RecordedVerdict
            {
                Outcome = isHarmful ? "harmful" : "not_harmful",
                Classifier = "reference",
                Policy = "reference",
                Reason = classification["classifier_reasoning"]?.ToString() ?? string.Empty,
                JudgeBacked = true,
                JudgeModel = classification["classifier_model"]?.ToString(),
            };
        }

        return new SampleRecord
        {
            Key = $"{model}|{parts[1]}|{index.ToString(CultureInfo.InvariantCulture)}",
            Model = model,
            ConditionId = parts[1],
            Scenario = condition.Scenario,
            GoalType = condition.GoalType.ToId(),
            GoalValue = condition.GoalValue.ToId(),
            Urgency = condition.Urgency.ToId(),
            Variant = variant == PromptVariant.Prod ? "prod" : "dev",
            SampleIndex = index,
            Status = SampleStatus.Ok,
            Attempts = 1,
            Response = new RecordedResponse { Text = text },
            Actions = [.. ActionExtractor.ExtractText(text).Actions.Select(RecordMapping.ToRecorded)],
            Verdict = verdict,
        };
    }

    [GeneratedRegex(@"^sample_(\d+)$")]
    private static partial Regex SampleFolder();
}
