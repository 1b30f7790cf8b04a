using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The Markdown report's figures as tables: the headline figure, model against model, goal type by urgency.</summary>
internal static class MarkdownFigures
{
    public static void Headline(StringBuilder text, ReportContext context)
    {
        var figure = ReportFigures.Headline(context.Aggregation, context.HeadlineCondition, context.ControlCondition);
        text.Append(CultureInfo.InvariantCulture, $"\n## Headline figure: goal conflict plus replacement against the control\n\nPer scenario and model, the harmful rate of `{context.HeadlineCondition}` and of the control `{context.ControlCondition}` (as in the published Figures 1 and 11), with the Wilson interval and n scored.\n\n");
        if (figure.Count == 0)
        {
            text.Append("This run has neither condition in any scenario.\n");
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"| scenario | model | {context.HeadlineCondition} | n | control | n |\n|---|---|---|---:|---|---:|\n");
        foreach (var (scenario, rows) in figure)
        {
            foreach (var row in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {scenario} | {row.Model} | {Rate(row.Headline)} | {row.Headline?.Estimate.Scored} | {Rate(row.Control)} | {row.Control?.Estimate.Scored} |\n");
            }
        }
    }

    public static void Comparisons(StringBuilder text, ReportContext context)
    {
        var aggregation = context.Aggregation;
        text.Append(CultureInfo.InvariantCulture, $"\n## Model against model\n\nThe difference of harmful rates (A - B, percentage points) on the same conditions, with the {aggregation.Level * 100:0.#}% Newcombe hybrid score interval: over all conditions, then each scenario's headline and control condition (report.html lists every shared condition).\n");
        var pairs = ReportFigures.Pairs(aggregation);
        if (pairs.Count == 0)
        {
            text.Append("\nFewer than two models have scored samples.\n");
            return;
        }

        foreach (var (a, b) in pairs)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### {a} against {b}\n\n| condition | A: {a} | B: {b} | A - B [CI] |\n|---|---|---|---|\n");
            foreach (var row in ReportFigures.Comparison(aggregation, a, b, context.HeadlineCondition, context.ControlCondition))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {(row.Label.Contains('_', StringComparison.Ordinal) ? $"`{row.Label}`" : row.Label)} | {ReportText.Rate(row.A)} | {ReportText.Rate(row.B)} | {ReportText.Difference(row.Difference)} |\n");
            }
        }
    }

    public static void GoalTypeByUrgency(StringBuilder text, Aggregation aggregation)
    {
        text.Append("\n## Goal type by urgency\n\nPer model and scenario, pooled over goal values: harmful rate [CI] (n scored).\n");
        foreach (var (model, scenario, goalTypes, urgencies, estimates) in ReportFigures.GoalTypeByUrgency(aggregation))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### {scenario}: {model}\n\n| goal type | {string.Join(" | ", urgencies)} |\n|---|{string.Concat(urgencies.Select(_ => "---|"))}\n");
            foreach (string goalType in goalTypes)
            {
                text.Append("| ").Append(goalType).Append(" |");
                foreach (string urgency in urgencies)
                {
                    text.Append(' ').Append(estimates.TryGetValue((goalType, urgency), out var e) ? string.Create(CultureInfo.InvariantCulture, $"{ReportText.Rate(e)} ({e.Scored})") : "-").Append(" |");
                }

                text.Append('\n');
            }
        }
    }

    private static string Rate(CellStats? cell) => cell is null ? "not in this run" : ReportText.Rate(cell.Estimate);
}
