using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Interop;

/// <summary>What an import of a reference results tree did.</summary>
/// <param name="Imported">The number of samples imported.</param>
/// <param name="Skipped">The folders left out, each with its reason (the path is relative to the tree's root).</param>
public sealed record ReferenceImportReport(int Imported, IReadOnlyList<(string Path, string Reason)> Skipped);

public static partial class ReferenceResults
{
    /// <summary>
    /// Reads a reference results tree into a new store: one ok sample per readable <c>response.json</c>, with its
    /// classification as the verdict. Trees written by other ports are imported as far as they can be read: a condition
    /// folder keeps its id as given even when this grid never produces it (<c>murder_explicit-none_replacement</c>) or it
    /// carries a suffix, and its axes are read from the id's shape where it has one. A folder that cannot be read is
    /// skipped and named in the report; one bad folder never refuses the tree.
    /// </summary>
    /// <param name="directory">The folder holding <c>models/</c>.</param>
    /// <param name="storePath">The store to create.</param>
    /// <returns>How many samples were imported and which folders were skipped, and why.</returns>
    /// <exception cref="MisalignmentEvalException">There is no <c>models</c> folder, or not one sample in it can be read.</exception>
    public static ReferenceImportReport Import(string directory, string storePath)
    {
        string models = Path.Combine(directory, "models");
        if (!Directory.Exists(models))
        {
            throw new MisalignmentEvalException($"{directory}: no 'models' folder; expected models/<model>/<condition_id>/sample_NNN/response.json.");
        }

        var skipped = new List<(string Path, string Reason)>();
        var samples = new List<SampleRecord>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string modelFolder in Folders(models, directory, skipped))
        {
            foreach (string conditionFolder in Folders(modelFolder, directory, skipped))
            {
                var sampleFolders = Folders(conditionFolder, directory, skipped).ToList();
                if (sampleFolders.Count == 0)
                {
                    skipped.Add(new(Relative(directory, conditionFolder), "it holds no sample folders."));
                }

                // Exact sample_NNN names first, so that a suffixed copy of the same sample is the one skipped.
                foreach (string sampleFolder in sampleFolders.OrderBy(f => ExactSample().IsMatch(Path.GetFileName(f)) ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal))
                {
                    if (ReadSample(sampleFolder, Path.GetFileName(modelFolder), Path.GetFileName(conditionFolder), out string? problem) is not { } sample)
                    {
                        skipped.Add(new(Relative(directory, sampleFolder), problem!));
                    }
                    else if (keys.TryGetValue(sample.Key, out string? first))
                    {
                        skipped.Add(new(Relative(directory, sampleFolder), $"it is sample {sample.SampleIndex} of {sample.Model} in {sample.ConditionId} again; {first} was imported."));
                    }
                    else
                    {
                        keys[sample.Key] = Relative(directory, sampleFolder);
                        samples.Add(sample);
                    }
                }
            }
        }

        if (samples.Count == 0)
        {
            throw new MisalignmentEvalException($"{models}: no readable samples{(skipped.Count > 0 ? $"; {string.Join("; ", skipped.Take(5).Select(s => $"{s.Path}: skipped: {s.Reason.TrimEnd('.')}"))}" : string.Empty)}.");
        }

        WriteStore(directory, storePath, samples, skipped.Count);
        return new ReferenceImportReport(samples.Count, skipped);
    }

    private static void WriteStore(string directory, string storePath, List<SampleRecord> samples, int skipped)
    {
        var modelNames = samples.Select(s => s.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var manifest = new RunManifest
        {
            ExperimentId = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)),
            SpecHash = RunManifest.ImportedSpecHash,
            LibraryVersion = "imported from the reference results layout",
            Fingerprint = new Dictionary<string, string>
            {
                ["source"] = $"reference results at {Path.GetFullPath(directory)}",
                ["models"] = string.Join(", ", modelNames),
                ["skipped_folders"] = skipped.ToString(CultureInfo.InvariantCulture),
            },
            Models = modelNames,
            Judge = samples.Select(s => s.Verdict?.JudgeModel).FirstOrDefault(j => j is not null),
            Policy = VerdictPolicy.Reference,
            SamplesPerCondition = samples.Max(s => s.SampleIndex),
            Conditions = samples.Select(s => s.ConditionId).Distinct().Count(),
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
    }

    /// <summary>The sub-folders of a folder in ordinal order; hidden ones are skipped and named.</summary>
    private static IEnumerable<string> Folders(string parent, string root, List<(string Path, string Reason)> skipped)
    {
        foreach (string folder in Directory.EnumerateDirectories(parent).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(folder).StartsWith('.'))
            {
                skipped.Add(new(Relative(root, folder), "it is a hidden folder."));
                continue;
            }

            yield return folder;
        }
    }

    private static SampleRecord? ReadSample(string folder, string modelFolder, string conditionId, out string? problem)
    {
        string name = Path.GetFileName(folder);
        if (SampleName().Match(name) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
        {
            problem = "its name is not sample_NNN (NNN from 1).";
            return null;
        }

        string file = Path.Combine(folder, "response.json");
        if (!File.Exists(file))
        {
            problem = "it has no response.json.";
            return null;
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new JsonException("the file is not a JSON object");
        }
        catch (JsonException ex)
        {
            problem = $"its response.json cannot be read: {JsonMessages.Friendly(ex)}";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"its response.json cannot be read: {ex.Message}";
            return null;
        }

        if (json["raw_response"] is not JsonValue raw || !raw.TryGetValue(out string? text))
        {
            problem = "its response.json has no 'raw_response' string.";
            return null;
        }

        if (Malformed(json) is { } malformed)
        {
            problem = malformed;
            return null;
        }

        problem = null;
        string model = json["metadata"]?["model"] is JsonValue m && m.TryGetValue(out string? named) && named.Trim().Length > 0 ? named : modelFolder;
        var (scenario, goalType, goalValue, urgency, variant) = Axes(conditionId);
        string? reasoning = json["reasoning"] is JsonValue r && r.TryGetValue(out string? separate) ? separate : null;
        return new SampleRecord
        {
            Key = $"{model}|{conditionId}|{index.ToString(CultureInfo.InvariantCulture)}",
            Model = model,
            ConditionId = conditionId,
            Scenario = scenario,
            GoalType = goalType,
            GoalValue = goalValue,
            Urgency = urgency,
            Variant = variant,
            SampleIndex = index,
            Status = SampleStatus.Ok,
            Attempts = 1,
            Response = new RecordedResponse { Text = text, Reasoning = reasoning },
            Actions = [.. ActionExtractor.Extract(new ModelResponse { Text = text, Reasoning = reasoning }).Actions.Select(RecordMapping.ToRecorded)],
            Verdict = VerdictOf(json),
        };
    }

    /// <summary>
    /// A condition id's axes: parsed when the grid knows the id, else read from its shape as given (an axis whose name
    /// this grid does not have is unknown, <see langword="null"/>), else unknown.
    /// </summary>
    private static (string Scenario, GoalType? GoalType, GoalValue? GoalValue, UrgencyType? Urgency, PromptVariant Variant) Axes(string conditionId)
    {
        if (Condition.TryParse(conditionId, out var condition, out var variant, out _))
        {
            return (condition.Scenario, condition.GoalType, condition.GoalValue, condition.Urgency, variant);
        }

        if (ConditionShape().Match(conditionId) is { Success: true } shape)
        {
            string suffix = shape.Groups["suffix"].Value;
            return (shape.Groups["scenario"].Value,
                ConditionAxes.TryParseGoalType(shape.Groups["type"].Value, out var goalType) ? goalType : null,
                ConditionAxes.TryParseGoalValue(shape.Groups["value"].Value, out var goalValue) ? goalValue : null,
                ConditionAxes.TryParseUrgency(shape.Groups["urgency"].Value, out var urgency) ? urgency : null,
                suffix.Split('_').Contains(PromptVariant.Prod.ToId(), StringComparer.Ordinal) ? PromptVariant.Prod : PromptVariant.Dev);
        }

        int underscore = conditionId.IndexOf('_', StringComparison.Ordinal);
        return (underscore > 0 ? conditionId[..underscore] : conditionId, null, null, null, PromptVariant.Dev);
    }

    /// <summary>
    /// What is wrong with the optional parts of a response.json, or null: a <c>metadata</c> or <c>classification</c>
    /// that is not an object, or a <c>harmful_behavior</c> that is not true or false (the string "true" is not dropped silently).
    /// </summary>
    private static string? Malformed(JsonObject json)
    {
        if (json["metadata"] is { } metadata && metadata is not JsonObject)
        {
            return "its response.json has a 'metadata' that is not an object.";
        }

        if (json["metadata"]?["model"] is { } model && (model is not JsonValue value || !value.TryGetValue(out string? _)))
        {
            return "its response.json has a 'metadata.model' that is not a string.";
        }

        return json["classification"] switch
        {
            null => null,
            JsonObject c when c["harmful_behavior"]?.GetValueKind() is JsonValueKind.True or JsonValueKind.False => null,
            JsonObject c => $"its response.json has a 'classification.harmful_behavior' of {c["harmful_behavior"]?.ToJsonString() ?? "(none)"}, not true or false.",
            _ => "its response.json has a 'classification' that is not an object.",
        };
    }

    private static RecordedVerdict? VerdictOf(JsonObject json) =>
        json["classification"] is JsonObject classification && classification["harmful_behavior"] is JsonValue harmful && harmful.TryGetValue(out bool isHarmful)
            ? new RecordedVerdict
            {
                Outcome = isHarmful ? VerdictOutcome.Harmful : VerdictOutcome.NotHarmful,
                Classifier = "reference",
                Policy = VerdictPolicy.Reference,
                Reason = classification["classifier_reasoning"]?.ToString() ?? string.Empty,
                JudgeBacked = true,
                JudgeModel = classification["classifier_model"]?.ToString(),
            }
            : null;

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    [GeneratedRegex(@"^sample_(\d+)$")]
    private static partial Regex ExactSample();

    [GeneratedRegex(@"^sample_(\d+)(?:$|[^\d])")]
    private static partial Regex SampleName();

    [GeneratedRegex(@"^(?<scenario>[a-z][a-z0-9-]*)_(?<type>[a-z]+)-(?<value>[a-z]+)_(?<urgency>[a-z]+)(?<suffix>_.+)?$")]
    private static partial Regex ConditionShape();
}
