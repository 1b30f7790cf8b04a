using System.Globalization;

namespace Misalignment.Eval;

/// <summary>
/// What a store line must hold beyond parsing (<see cref="StoreJson.ReadOptions"/> already refuses a null where a
/// value is required and a name that is no enum value's): a known format version, no null list items, and keys
/// consistent with each other. Each check returns what is wrong, naming the JSON key, or null.
/// </summary>
internal static class StoreRecordChecks
{
    public static string? Check(RunManifest manifest)
    {
        if (manifest.FormatVersion != RunManifest.CurrentFormatVersion)
        {
            return $"format version {manifest.FormatVersion.ToString(CultureInfo.InvariantCulture)} is not one this library reads (it reads version {RunManifest.CurrentFormatVersion.ToString(CultureInfo.InvariantCulture)}); use the misalign version that wrote the store.";
        }

        return manifest.Fingerprint.Where(p => p.Value is null).Select(p => $"key 'fingerprint.{p.Key}' must be a string, not null.").FirstOrDefault()
            ?? List("models", manifest.Models)
            ?? Duplicate("models", manifest.Models)
            ?? (manifest.SamplesPerCondition < 0 ? "key 'samplesPerCondition' must not be negative." : null)
            ?? (manifest.Conditions < 0 ? "key 'conditions' must not be negative." : null);
    }

    public static string? Check(BatchRecord batch)
    {
        if (string.IsNullOrWhiteSpace(batch.BatchId) || string.IsNullOrWhiteSpace(batch.Provider) || string.IsNullOrWhiteSpace(batch.Model))
        {
            return "keys 'batchId', 'provider' and 'model' of a batch line must not be empty.";
        }

        return batch.Calls is not (null or BatchRecord.JudgeCalls) ? $"key 'calls' of a batch line is '{batch.Calls}'; it is '{BatchRecord.JudgeCalls}' for a batch of judge calls, or absent."
            : batch.Requests.Count == 0 ? "key 'requests' of a batch line must name at least one request."
            : batch.Requests.Any(r => string.IsNullOrEmpty(r.Key) || string.IsNullOrEmpty(r.Value)) ? "key 'requests' of a batch line maps each custom id to a sample key; neither may be empty."
            : null;
    }

    public static string? Check(SampleRecord sample)
    {
        if (sample.SampleIndex < 1)
        {
            return $"key 'sampleIndex' is {sample.SampleIndex.ToString(CultureInfo.InvariantCulture)}; sample indexes start at 1.";
        }

        string key = $"{sample.Model}|{sample.ConditionId}|{sample.SampleIndex.ToString(CultureInfo.InvariantCulture)}";
        if (sample.Key != key)
        {
            return $"key 'key' is '{sample.Key}', but its model, conditionId and sampleIndex make '{key}'.";
        }

        return Condition(sample)
            ?? List("actions", sample.Actions)
            ?? sample.Actions.Select((a, i) => List($"actions[{i}].to", a.To)).FirstOrDefault(p => p is not null)
            ?? (sample.Response is { } response ? Messages(response.Messages) : null)
            ?? (sample.Status == SampleStatus.Ok && sample.Response is null ? "key 'response' is missing, but the status is ok." : null);
    }

    private static string? Messages(IReadOnlyList<RecordedMessage> messages) =>
        List("response.messages", messages)
        ?? messages.Select((m, i) => List($"response.messages[{i}].toolCalls", m.ToolCalls) ?? List($"response.messages[{i}].toolResults", m.ToolResults)).FirstOrDefault(p => p is not null);

    private static string? Condition(SampleRecord sample)
    {
        if (!Eval.Condition.TryParse(sample.ConditionId, out var condition, out var variant, out _))
        {
            // A condition this grid never produces (kept as given by a reference import) must still be one plain name.
            return OutputPaths.WhyNotAFolderName(sample.ConditionId) is { } why ? $"key 'conditionId': '{sample.ConditionId}' {why}." : null;
        }

        var expected = new (string Key, string Value, string Stored)[]
        {
            ("scenario", condition.Scenario, sample.Scenario),
            ("goalType", condition.GoalType.ToId(), sample.GoalType.ToId()),
            ("goalValue", condition.GoalValue.ToId(), sample.GoalValue.ToId()),
            ("urgency", condition.Urgency.ToId(), sample.Urgency.ToId()),
            ("variant", variant.ToId(), sample.Variant.ToId()),
        };
        return expected.Where(e => e.Value != e.Stored).Select(e => $"key '{e.Key}' is {Stored(e.Stored)}, but the condition id '{sample.ConditionId}' says '{e.Value}'.").FirstOrDefault();
    }

    /// <summary>A stored axis as a message says it: quoted, or in words for an axis read as unknown (a name this grid does not have).</summary>
    private static string Stored(string name) => name == WireNames.Unknown ? "not a name of this grid" : $"'{name}'";

    private static string? List<T>(string key, IReadOnlyList<T>? items) =>
        items is null ? $"key '{key}' must be a list."
        : items.Any(i => i is null) ? $"key '{key}' holds a null item."
        : null;

    private static string? Duplicate(string key, IReadOnlyList<string> items) =>
        items.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice ? $"key '{key}' names '{twice.Key}' twice." : null;
}
