using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Interop;

/// <summary>Import from the reference results layout.</summary>
public static partial class ReferenceResults
{
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
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(models, "response.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var sample = ReadSample(models, file);
            if (!files.TryAdd(sample.Key, file))
            {
                // Two model folders whose metadata name the same model: checked before the store exists, so none is left half written.
                throw new MisalignmentEvalException($"{file}: sample '{sample.Key}' is also read from {files[sample.Key]} (their metadata name the same model); import refused.");
            }

            samples.Add(sample);
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
        bool complete = false;
        try
        {
            foreach (var sample in samples)
            {
                store.AppendAsync(sample).AsTask().GetAwaiter().GetResult();
            }

            complete = true;
        }
        finally
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (!complete)
            {
                // The store is new: a half-written one would pass for the whole import.
                File.Delete(storePath);
            }
        }

        return samples.Count;
    }

    private static SampleRecord ReadSample(string models, string file)
    {
        string[] parts = Path.GetRelativePath(models, file).Split(Path.DirectorySeparatorChar);
        if (parts.Length != 4 || SampleFolder().Match(parts[2]) is not { Success: true } sampleMatch)
        {
            throw new MisalignmentEvalException($"{file}: expected models/<model>/<condition_id>/sample_NNN/response.json (NNN in digits 0-9).");
        }

        if (!int.TryParse(sampleMatch.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
        {
            throw new MisalignmentEvalException($"{Path.GetDirectoryName(file)}: folder '{parts[2]}' is out of range; sample numbers run from 1 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!Condition.TryParse(parts[1], out var condition, out var variant, out string? problem))
        {
            throw new MisalignmentEvalException($"{Path.GetDirectoryName(Path.GetDirectoryName(file))}: folder '{parts[1]}' is not a condition id: {problem}");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new MisalignmentEvalException($"{file}: must be a JSON object with 'raw_response'.");
        }
        catch (JsonException ex)
        {
            throw new MisalignmentEvalException($"{file}: {JsonMessages.Friendly(ex)}", ex);
        }

        string text = json["raw_response"] is JsonValue raw && raw.TryGetValue(out string? value)
            ? value
            : throw new MisalignmentEvalException($"{file}: key 'raw_response' is missing or not a string.");
        string model = json["metadata"] switch
        {
            null => parts[0],
            JsonObject metadata => metadata["model"] switch
            {
                null => parts[0],
                JsonValue m when m.TryGetValue(out string? named) && named.Trim().Length > 0 => named,
                _ => throw new MisalignmentEvalException($"{file}: key 'metadata.model' must be a model name (a non-empty string)."),
            },
            _ => throw new MisalignmentEvalException($"{file}: key 'metadata' must be an object."),
        };
        var verdict = Verdict(file, json["classification"]);
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

    /// <summary>The verdict of a <c>classification</c> object (none when it is absent or null).</summary>
    private static RecordedVerdict? Verdict(string file, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject classification)
        {
            throw new MisalignmentEvalException($"{file}: key 'classification' must be an object.");
        }

        if (classification["harmful_behavior"] is not JsonValue harmful || harmful.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            string found = classification["harmful_behavior"] is { } other ? other.ToJsonString() : "missing";
            throw new MisalignmentEvalException($"{file}: key 'classification.harmful_behavior' must be true or false, not {found}.");
        }

        return new RecordedVerdict
        {
            Outcome = harmful.GetValue<bool>() ? "harmful" : "not_harmful",
            Classifier = "reference",
            Policy = "reference",
            Reason = Text(classification["classifier_reasoning"]) ?? string.Empty,
            JudgeBacked = true,
            JudgeModel = Text(classification["classifier_model"]),
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : node?.ToJsonString();

    // ASCII digits only: \d also matches other scripts' digits, which int.Parse refuses.
    [GeneratedRegex(@"^sample_([0-9]+)$")]
    private static partial Regex SampleFolder();
}
