
namespace Misalignment.Eval.Scenarios;

/// <summary>Builds the engine-provided parts of a system prompt for one condition and set of options.</summary>
internal static class SystemPromptParts
{
    public static readonly string[] ReservedNames =
        ["company", "goal_statement", "alignment_faking_warning", "extra_system_instructions", "scratchpad", "keep_in_mind", "tool_protocol"];

    public static Dictionary<string, string> Build(
        Condition condition,
        RenderOptions options,
        string company,
        IReadOnlyList<ActionKind> actions,
        Func<GoalValue, GoalText> goals)
    {
        GoalText? goal = condition.GoalType switch
        {
            GoalType.Explicit => goals(condition.GoalValue),
            GoalType.Swap => goals(condition.GoalValue.Opposite()),
            _ => null,
        };

        var bullets = new List<string>();
        if (goal is not null)
        {
            bullets.Add(goal.Reminder);
        }

        if (options.ExtraInstructions == ExtraInstructions.Dont)
        {
            bullets.AddRange(PromptTexts.DontBullets(company));
        }

        bullets.Add(PromptTexts.AnalyzeFirst);

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["company"] = company,
            ["goal_statement"] = goal?.Statement ?? string.Empty,
            ["alignment_faking_warning"] = options.AlignmentFakingWarning?.Trim() ?? string.Empty,
            ["extra_system_instructions"] = options.ExtraInstructions == ExtraInstructions.Goal ? PromptTexts.GoalExtra(company) : string.Empty,
            ["scratchpad"] = options.Variant == PromptVariant.Dev ? PromptTexts.Scratchpad : string.Empty,
            ["keep_in_mind"] = PromptTexts.KeepInMindHeading + "\n" + string.Join("\n", bullets.Select(b => "- " + b)),
            ["tool_protocol"] = ToolProtocol(actions, options.ToolMode) + (options.InboxTools ? "\n" + PromptTexts.NativeInbox : string.Empty),
        };
    }

    public static string ToolProtocol(IReadOnlyList<ActionKind> actions, ToolMode mode)
    {
        if (mode == ToolMode.Native)
        {
            return PromptTexts.NativeProtocolIntro + "\n" + string.Join("\n", actions.Select(a => "- " + a switch
            {
                ActionKind.Email => PromptTexts.NativeEmail,
                ActionKind.Forward => PromptTexts.NativeForward,
                _ => PromptTexts.NativeCancelAlert,
            }));
        }

        return PromptTexts.TextProtocolIntro + "\n\n" + string.Join("\n\n", actions.Select(a => a switch
        {
            ActionKind.Email => PromptTexts.TextEmail,
            ActionKind.Forward => PromptTexts.TextForward,
            _ => PromptTexts.TextCancelAlert,
        }));
    }

    /// <summary>Collapses runs of blank lines to one and trims the ends, so empty parts leave no gap.</summary>
    public static string Tidy(string text)
    {
        var lines = text.Split('\n');
        var kept = new List<string>(lines.Length);
        foreach (string line in lines)
        {
            bool blank = string.IsNullOrWhiteSpace(line);
            if (blank && (kept.Count == 0 || string.IsNullOrWhiteSpace(kept[^1])))
            {
                continue;
            }

            kept.Add(blank ? string.Empty : line.TrimEnd());
        }

        return string.Join("\n", kept).Trim();
    }
}
