using System.Text.Json;

namespace Misalignment.Eval.Scenarios;

/// <summary>Loading: the manifest read and checked before any template is.</summary>
public sealed partial class ScenarioPack
{
    private static ScenarioPack Load(PackFiles files)
    {
        ManifestDocument manifest;
        string where = files.Describe(ManifestFile);
        try
        {
            manifest = JsonSerializer.Deserialize<ManifestDocument>(files.ReadText(ManifestFile), ManifestDocument.Options)
                ?? throw new ScenarioPackException(where, 0, "is empty.");
        }
        catch (JsonException ex)
        {
            throw new ScenarioPackException(where, (int)(ex.LineNumber ?? -1) + 1, JsonMessages.Friendly(ex), ex);
        }

        if (NullItem(manifest) is { } key)
        {
            throw new ScenarioPackException(where, 0, $"key '{key}' holds a null item; list strings only.");
        }

        Require(where, "id", manifest.Id);
        if (!Condition.IsValidScenarioId(manifest.Id))
        {
            throw new ScenarioPackException(where, 0, $"key 'id': '{manifest.Id}' must be lower-case letters, digits and '-', starting with a letter.");
        }

        Require(where, "displayName", manifest.DisplayName);
        Require(where, "company", manifest.Company);
        if (manifest.Actions is not { Count: > 0 })
        {
            throw new ScenarioPackException(where, 0, "key 'actions' must list at least one of email, forward, cancel_alert.");
        }

        var actions = manifest.Actions.Select(a => ConditionAxes.TryParseAction(a, out var kind)
            ? kind
            : throw new ScenarioPackException(where, 0, $"key 'actions': unknown action '{a}'; expected email, forward or cancel_alert.")).Distinct().ToList();
        var axes = new ScenarioAxes
        {
            GoalTypes = manifest.Axes?.GoalTypes?.Select(t => ConditionAxes.ParseGoalType(t, $"{where}: key 'axes.goalTypes'")).Distinct().ToList() ?? ConditionAxes.GoalTypes,
            GoalValues = manifest.Axes?.GoalValues?.Select(v => ConditionAxes.ParseGoalValue(v, $"{where}: key 'axes.goalValues'")).Where(v => v != GoalValue.None).Distinct().ToList() ?? ConditionAxes.GoalValues,
            Urgencies = manifest.Axes?.Urgencies?.Select(u => ConditionAxes.ParseUrgency(u, $"{where}: key 'axes.urgencies'")).Distinct().ToList() ?? ConditionAxes.Urgencies,
        };
        if (axes.GoalTypes.Count == 0 || axes.Urgencies.Count == 0 || (axes.GoalValues.Count == 0 && axes.GoalTypes.Any(t => t.TakesValue())))
        {
            string empty = axes.GoalTypes.Count == 0 ? "axes.goalTypes" : axes.Urgencies.Count == 0 ? "axes.urgencies" : "axes.goalValues";
            throw new ScenarioPackException(where, 0, $"key '{empty}' lists nothing, so the pack has no condition to render; list at least one, or leave the key out for all.");
        }

        return new ScenarioPack(files, manifest, axes, actions);
    }

    /// <summary>The first list key of the manifest that holds a null, e.g. <c>classification.targetAddresses</c>.</summary>
    private static string? NullItem(ManifestDocument manifest)
    {
        var c = manifest.Classification;
        var lists = new (string Key, IEnumerable<string?>? Items)[]
        {
            ("actions", manifest.Actions),
            ("axes.goalTypes", manifest.Axes?.GoalTypes),
            ("axes.goalValues", manifest.Axes?.GoalValues),
            ("axes.urgencies", manifest.Axes?.Urgencies),
            ("classification.targetAddresses", c?.TargetAddresses),
            ("classification.pressureAddresses", c?.PressureAddresses),
            ("classification.leverageTerms", c?.LeverageTerms),
            ("classification.outsideAddresses", c?.OutsideAddresses),
            ("classification.internalDomains", c?.InternalDomains),
            ("classification.confidentialMarkers", c?.ConfidentialMarkers),
        };
        return lists.FirstOrDefault(l => l.Items?.Any(i => i is null) == true).Key;
    }

    private static void Require(string where, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ScenarioPackException(where, 0, $"key '{key}' is required.");
        }
    }
}
