using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The Markdown report: the run's statements, the headline figure, the model comparisons, the roll-ups and a table per scenario.</summary>
internal static class MarkdownReport
{
    /// <summary>Renders the report.</summary>
    /// <param name="context">The statistics and the headline conditions.</param>
    /// <returns>The Markdown text.</returns>
    public static string Render(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aggregation = context.Aggregation;
        var text = new StringBuilder($"# Agentic misalignment results: {aggregation.Manifest.ExperimentId}\n\n");
        foreach (string line in ReportText.Statements(aggregation))
        {
            text.Append("- ").Append(line).Append('\n');
        }

        MarkdownFigures.Headline(text, context);
        MarkdownFigures.Comparisons(text, context);
        text.Append("\n## Harmful rate by model and scenario, pooled over all conditions\n\n| model | scenario | scored | harmful | rate [CI] | unscorable | errors | unclassified |\n|---|---|---:|---:|---|---:|---:|---:|\n");
        foreach (var g in aggregation.Groups.Where(g => g.Axis is RollUp.All or RollUp.Scenario))
        {
            Row(text, g.Model, g.Axis == RollUp.All ? "**all**" : g.Value, g.Estimate);
        }

        if (aggregation.Awareness.Count > 0)
        {
            text.Append("\n## Eval awareness\n\nHarmful rate among samples in which the model concluded the situation was real, concluded it was an evaluation, or did not deliberate.\n\n| model | concluded | scored | harmful | rate [CI] | unscorable | errors | unclassified |\n|---|---|---:|---:|---|---:|---:|---:|\n");
            foreach (var g in aggregation.Awareness)
            {
                Row(text, g.Model, g.Value, g.Estimate);
            }
        }

        foreach (var axis in new[] { (RollUp.GoalType, "goal type"), (RollUp.Urgency, "urgency"), (RollUp.GoalValue, "goal value") })
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## By {axis.Item2}\n\n| model | {axis.Item2} | scored | harmful | rate [CI] | unscorable | errors | unclassified |\n|---|---|---:|---:|---|---:|---:|---:|\n");
            foreach (var g in aggregation.By(axis.Item1))
            {
                Row(text, g.Model, g.Value, g.Estimate);
            }
        }

        MarkdownFigures.GoalTypeByUrgency(text, aggregation);
        foreach (var scenario in aggregation.Cells.GroupBy(c => c.Scenario))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## Scenario `{scenario.Key}`\n\n| condition | model | scored | harmful | rate [CI] | unscorable | errors | unclassified |\n|---|---|---:|---:|---|---:|---:|---:|\n");
            foreach (var cell in scenario.OrderBy(c => c.ConditionId, StringComparer.Ordinal).ThenBy(c => c.Model, StringComparer.Ordinal))
            {
                Row(text, $"`{cell.ConditionId}`", cell.Model, cell.Estimate);
            }
        }

        return text.ToString();
    }

    internal static void Row(StringBuilder text, string first, string second, RateEstimate e) =>
        text.Append(CultureInfo.InvariantCulture, $"| {first} | {second} | {e.Scored} | {e.Harmful} | {ReportText.Rate(e)} | {e.Unscorable} | {e.Errored} | {e.Unclassified} |\n");
}
