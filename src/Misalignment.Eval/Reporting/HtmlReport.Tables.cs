using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The model comparisons, goal type by urgency, and the pivoted heat map.</summary>
internal static partial class HtmlReport
{
    private static void Comparisons(StringBuilder html, Aggregation aggregation, string headline, string control)
    {
        html.Append("<h2 id=\"compare\">Model against model</h2>\n<p>The difference of harmful rates (A - B, in percentage points) on the same conditions, with the ")
            .Append(Percent(aggregation.Level)).Append(" Newcombe hybrid score interval; an interval that excludes 0 is a difference the samples support.</p>\n");
        var pairs = ReportFigures.Pairs(aggregation);
        if (pairs.Count == 0)
        {
            html.Append("<p class=\"note\">Fewer than two models have scored samples.</p>\n");
            return;
        }

        foreach (var (a, b) in pairs)
        {
            html.Append("<h3>").Append(E(a)).Append(" against ").Append(E(b)).Append("</h3>\n");
            var rows = ReportFigures.Comparison(aggregation, a, b, headline, control);
            html.Append(Table(["condition", "A: " + a, "B: " + b, "A - B [CI]"], rows.Select(r => new[] { r.Label, ReportText.Rate(r.A), ReportText.Rate(r.B), ReportText.Difference(r.Difference) })));
            var paired = aggregation.Paired(a, b);
            html.Append(CultureInfo.InvariantCulture, $"<details><summary>Every shared condition ({paired.Count})</summary>\n")
                .Append(Table(["condition", "A: " + a, "B: " + b, "A - B [CI]"], paired.Select(r => new[] { r.ConditionId, ReportText.Rate(r.A), ReportText.Rate(r.B), ReportText.Difference(r.Difference) })))
                .Append("</details>\n");
        }
    }

    private static void GoalTypeByUrgency(StringBuilder html, Aggregation aggregation)
    {
        html.Append("<h2 id=\"goal-urgency\">Goal type by urgency</h2>\n<p>Per model and scenario, pooled over goal values: harmful / scored with the Wilson interval.</p>\n<div class=\"blocks\">\n");
        foreach (var (model, scenario, goalTypes, urgencies, estimates) in ReportFigures.GoalTypeByUrgency(aggregation))
        {
            html.Append("<div class=\"block\"><h3>").Append(E(scenario)).Append(" <span class=\"model\">").Append(E(model)).Append("</span></h3><div class=\"scroll\"><table class=\"gu\"><tr><th>goal type</th>");
            foreach (string urgency in urgencies)
            {
                html.Append("<th>").Append(E(urgency)).Append("</th>");
            }

            html.Append("</tr>\n");
            foreach (string goalType in goalTypes)
            {
                html.Append("<tr><th>").Append(E(goalType)).Append("</th>");
                foreach (string urgency in urgencies)
                {
                    html.Append(estimates.TryGetValue((goalType, urgency), out var e)
                        ? string.Create(CultureInfo.InvariantCulture, $"<td{Shade(e)}><a href=\"{E(Browse(("model", model), ("scenario", scenario), ("goalType", goalType), ("urgency", urgency)))}\">{E(ReportText.Rate(e))}</a> <span class=\"n\">n = {e.Scored}</span></td>")
                        : "<td>-</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</table></div></div>\n");
        }

        html.Append("</div>\n");
    }

    private static void HeatMap(StringBuilder html, Aggregation aggregation)
    {
        html.Append("<h2 id=\"heat\">Heat map</h2>\n<p>One block per scenario and model: rows are goal type and value, columns urgency; each cell is the harmful rate with its n (scored samples) and opens its samples.</p>\n")
            .Append("<div class=\"legend\" aria-label=\"colour legend\"><span>0%</span><span class=\"ramp\"></span><span>100% harmful</span><span class=\"swatch empty\"></span><span>not run or nothing scored</span></div>\n");
        foreach (string scenario in ReportFigures.Scenarios(aggregation))
        {
            html.Append("<h3>").Append(E(scenario)).Append("</h3>\n<div class=\"blocks\">\n");
            var cells = aggregation.Cells.Where(c => c.Scenario == scenario).ToList();
            var rows = cells.Select(c => (GoalType: c.GoalType.ToId(), GoalValue: c.GoalValue.ToId())).Distinct()
                .OrderBy(r => ReportFigures.IndexIn(ReportFigures.GoalTypeOrder, r.GoalType)).ThenBy(r => r.GoalType, StringComparer.Ordinal)
                .ThenBy(r => ReportFigures.IndexIn(ReportFigures.GoalValueOrder, r.GoalValue)).ThenBy(r => r.GoalValue, StringComparer.Ordinal).ToList();
            var urgencies = ReportFigures.Ordered(cells.Select(c => c.Urgency.ToId()), ReportFigures.UrgencyOrder);
            foreach (string model in aggregation.Models.Where(m => cells.Any(c => c.Model == m)))
            {
                var byKey = cells.Where(c => c.Model == model).OrderBy(c => c.Variant == PromptVariant.Dev ? 0 : 1).GroupBy(c => (c.GoalType.ToId(), c.GoalValue.ToId(), c.Urgency.ToId())).ToDictionary(g => g.Key, g => g.First());
                html.Append("<div class=\"block\"><h4>").Append(E(model)).Append("</h4><div class=\"scroll\"><table class=\"heat\" data-scenario=\"").Append(E(scenario)).Append("\" data-model=\"").Append(E(model)).Append("\"><tr><th>goal type</th><th>value</th>");
                foreach (string urgency in urgencies)
                {
                    html.Append("<th>").Append(E(urgency)).Append("</th>");
                }

                html.Append("</tr>\n");
                foreach (var (goalType, goalValue) in rows)
                {
                    html.Append("<tr><th>").Append(E(goalType)).Append("</th><th>").Append(E(goalValue)).Append("</th>");
                    foreach (string urgency in urgencies)
                    {
                        if (byKey.TryGetValue((goalType, goalValue, urgency), out var cell))
                        {
                            var e = cell.Estimate;
                            string rate = e.Scored == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{e.Rate * 100:F0}%");
                            html.Append(CultureInfo.InvariantCulture, $"<td{Shade(e)} title=\"{E(cell.ConditionId)}: {E(ReportText.Rate(e))}\"><a class=\"cell\" href=\"{E(CellLink(cell))}\">{rate}<span class=\"n\">n={e.Scored}</span></a></td>");
                        }
                        else
                        {
                            html.Append("<td class=\"empty\">-</td>");
                        }
                    }

                    html.Append("</tr>\n");
                }

                html.Append("</table></div></div>\n");
            }

            html.Append("</div>\n");
        }
    }

    /// <summary>The heat colour of a rate: white at 0% to deep red at 100% (the legend's ramp), light text on the darkest.</summary>
    private static string Shade(RateEstimate e)
    {
        if (e.Scored == 0)
        {
            return " class=\"empty\"";
        }

        int g = (int)Math.Round(255 - (e.Rate * 200));
        int b = (int)Math.Round(255 - (e.Rate * 210));
        return string.Create(CultureInfo.InvariantCulture, $" style=\"background:rgb({255 - (int)Math.Round(e.Rate * 80)},{g},{b}){(e.Rate > 0.6 ? ";color:#fff" : string.Empty)}\"");
    }
}
