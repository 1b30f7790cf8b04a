using System.Text.Json;

namespace Misalignment.Eval.Scenarios;

/// <summary>Goal statements and reminders: the library's defaults, overridden per value by a pack's <c>goals.json</c>.</summary>
internal static class GoalLibrary
{
    private static readonly Lazy<IReadOnlyDictionary<GoalValue, GoalText>> Defaults = new(() =>
    {
        using var stream = typeof(GoalLibrary).Assembly.GetManifestResourceStream("Misalignment.Eval.Defaults/goals.json")
            ?? throw new InvalidOperationException("The library's embedded goals.json is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded:goals.json", requireAll: true);
    });

    public static IReadOnlyDictionary<GoalValue, GoalText> Load((string Text, string Where)? overrides)
    {
        if (overrides is null)
        {
            return Defaults.Value;
        }

        var merged = new Dictionary<GoalValue, GoalText>(Defaults.Value);
        foreach (var pair in Parse(overrides.Value.Text, overrides.Value.Where, requireAll: false))
        {
            merged[pair.Key] = pair.Value;
        }

        return merged;
    }

    private static Dictionary<GoalValue, GoalText> Parse(string json, string where, bool requireAll)
    {
        Dictionary<string, Dictionary<string, string>>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json);
        }
        catch (JsonException ex)
        {
            throw new ScenarioPackException(where, (int)(ex.LineNumber ?? -1) + 1, $"{JsonMessages.Friendly(ex)} The file maps goal values to {{\"statement\", \"reminder\"}}.", ex);
        }

        var result = new Dictionary<GoalValue, GoalText>();
        foreach (var (key, entry) in raw ?? [])
        {
            if (!ConditionAxes.TryParseGoalValue(key, out var value) || value == GoalValue.None)
            {
                throw new ScenarioPackException(where, 0, $"key '{key}' is not a goal value; expected one of {string.Join(", ", ConditionAxes.GoalValues.Select(v => v.ToId()))}.");
            }

            if (entry is null || !entry.TryGetValue("statement", out string? statement) || !entry.TryGetValue("reminder", out string? reminder) || entry.Count != 2
                || string.IsNullOrWhiteSpace(statement) || string.IsNullOrWhiteSpace(reminder))
            {
                throw new ScenarioPackException(where, 0, $"key '{key}' must be an object with exactly the keys 'statement' and 'reminder', both non-empty strings.");
            }

            result[value] = new GoalText(statement.Trim(), reminder.Trim());
        }

        var missing = ConditionAxes.GoalValues.Where(v => !result.ContainsKey(v)).ToList();
        return requireAll && missing.Count > 0
            ? throw new ScenarioPackException(where, 0, $"missing goal values: {string.Join(", ", missing.Select(v => v.ToId()))}.")
            : result;
    }
}
