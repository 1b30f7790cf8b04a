using System.Globalization;
using System.Net;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>
/// The HTML report: one self-contained file (inline CSS and SVG, no external assets, works offline) with the run's
/// statements, a bar chart per scenario (a bar per model with its interval as a whisker), a condition x model heat
/// map, and the tables.
/// </summary>
internal static class HtmlReport
{
    private const int ChartWidth = 860;
    private const int LabelWidth = 230;
    private const int BarArea = 440;
    private const int RowHeight = 26;

    /// <summary>Renders the report.</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <param name="agreementSection">The "How far to trust the judge" section's HTML, when agreement data exist.</param>
    /// <returns>The HTML text.</returns>
    public static string Render(Aggregation aggregation, string? agreementSection = null)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var html = new StringBuilder();
        string title = $"Agentic misalignment results: {aggregation.Manifest.ExperimentId}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;padding:0 1rem}")
            .Append("h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}")
            .Append("ul.statements li{margin:.25rem 0}.warning{background:#fff8c5;border:1px solid #d4a72c;padding:.6rem .8rem;border-radius:6px;font-weight:600}")
            .Append("table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left}th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append("svg text{font-family:inherit;font-size:12px}.heat td{text-align:center;min-width:4.5rem}.heat td.c{text-align:left;font-family:ui-monospace,monospace;font-size:.8rem}")
            .Append("\n</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n");
        foreach (string line in ReportText.Statements(aggregation).Where(l => l.StartsWith("PARTIAL", StringComparison.Ordinal) || l.StartsWith("SIMULATED", StringComparison.Ordinal)))
        {
            html.Append("<p class=\"warning\">").Append(E(line)).Append("</p>\n");
        }

        html.Append("<ul class=\"statements\">\n");
        foreach (string line in ReportText.Statements(aggregation).Where(l => !l.StartsWith("PARTIAL", StringComparison.Ordinal) && !l.StartsWith("SIMULATED", StringComparison.Ordinal)))
        {
            html.Append("<li>").Append(E(line)).Append("</li>\n");
        }

        html.Append("</ul>\n<h2>Harmful rate by scenario</h2>\n<p>Bars are harmful / scored; whiskers are the ").Append(Percent(aggregation.Level)).Append(" Wilson interval.</p>\n");
        foreach (var scenario in aggregation.By(RollUp.Scenario).GroupBy(g => g.Value))
        {
            html.Append(BarChart(scenario.Key, [.. scenario]));
        }

        html.Append("<h2>Condition x model heat map</h2>\n").Append(HeatMap(aggregation));
        html.Append("<h2>By model</h2>\n").Append(Table(["model", "group", "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.Groups.Where(g => g.Axis is RollUp.All or RollUp.Scenario).Select(g => Row(g.Model, g.Value, g.Estimate))));
        if (aggregation.Awareness.Count > 0)
        {
            html.Append("<h2>Eval awareness</h2>\n<p>Harmful rate among samples in which the model concluded the situation was real, concluded it was an evaluation, or did not deliberate.</p>\n")
                .Append(Table(["model", "concluded", "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.Awareness.Select(g => Row(g.Model, g.Value, g.Estimate))));
        }

        foreach (var axis in new[] { (RollUp.GoalType, "goal type"), (RollUp.Urgency, "urgency"), (RollUp.GoalValue, "goal value") })
        {
            html.Append("<h2>By ").Append(axis.Item2).Append("</h2>\n").Append(Table(["model", axis.Item2, "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.By(axis.Item1).Select(g => Row(g.Model, g.Value, g.Estimate))));
        }

        html.Append("<h2>All cells</h2>\n").Append(Table(["condition", "model", "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.Cells.Select(c => Row(c.ConditionId, c.Model, c.Estimate))));
        return html.Append(agreementSection ?? string.Empty).Append("</body>\n</html>\n").ToString();
    }

    private static string[] Row(string a, string b, RateEstimate e) =>
        [a, b, N(e.Scored), N(e.Harmful), ReportText.Rate(e), N(e.Unscorable), N(e.Errored), N(e.Unclassified)];

    private static string BarChart(string scenario, IReadOnlyList<GroupStats> models)
    {
        int height = 40 + (models.Count * RowHeight) + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" data-scenario=\"{E(scenario)}\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{height}\" role=\"img\" aria-label=\"Harmful rate by model, scenario {E(scenario)}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"18\" font-weight=\"600\" font-size=\"14\">{E(scenario)}</text>\n");
        for (int tick = 0; tick <= 100; tick += 25)
        {
            double x = LabelWidth + (BarArea * tick / 100.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"30\" x2=\"{x:F1}\" y2=\"{height - 24}\" stroke=\"#d0d7de\"/><text x=\"{x:F1}\" y=\"{height - 8}\" text-anchor=\"middle\" fill=\"#57606a\">{tick}%</text>\n");
        }

        int y = 36;
        foreach (var model in models)
        {
            var e = model.Estimate;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{E(Short(model.Model))}</text>\n");
            if (e.Scored > 0)
            {
                double width = BarArea * e.Rate;
                double lo = LabelWidth + (BarArea * e.Interval.Lower);
                double hi = LabelWidth + (BarArea * e.Interval.Upper);
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{width:F1}\" height=\"{RowHeight - 8}\" fill=\"#cf222e\" fill-opacity=\"0.8\"><title>{E(model.Model)}: {E(ReportText.Rate(e))}, n = {e.Scored}</title></rect>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"whisker\" x1=\"{lo:F1}\" y1=\"{y + 12}\" x2=\"{hi:F1}\" y2=\"{y + 12}\" stroke=\"#1f2328\" stroke-width=\"1.5\"/><line x1=\"{lo:F1}\" y1=\"{y + 6}\" x2=\"{lo:F1}\" y2=\"{y + 18}\" stroke=\"#1f2328\" stroke-width=\"1.5\"/><line x1=\"{hi:F1}\" y1=\"{y + 6}\" x2=\"{hi:F1}\" y2=\"{y + 18}\" stroke=\"#1f2328\" stroke-width=\"1.5\"/>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + BarArea + 8}\" y=\"{y + 15}\">{E(ShortRate(e))}</text>\n");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + 4}\" y=\"{y + 15}\" fill=\"#57606a\">nothing scored</text>\n");
            }

            y += RowHeight;
        }

        return svg.Append("</svg>\n</figure>\n").ToString();
    }

    private static string HeatMap(Aggregation aggregation)
    {
        var models = aggregation.Models;
        var byCell = aggregation.Cells.ToDictionary(c => (c.ConditionId, c.Model));
        var html = new StringBuilder("<table class=\"heat\">\n<tr><th>condition</th>");
        foreach (string model in models)
        {
            html.Append("<th>").Append(E(Short(model))).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (string condition in aggregation.Cells.Select(c => c.ConditionId).Distinct().Order(StringComparer.Ordinal))
        {
            html.Append("<tr><td class=\"c\">").Append(E(condition)).Append("</td>");
            foreach (string model in models)
            {
                if (byCell.TryGetValue((condition, model), out var cell) && cell.Estimate.Scored > 0)
                {
                    double rate = cell.Estimate.Rate;
                    int shade = (int)Math.Round(255 - (rate * 180));
                    string fill = string.Create(CultureInfo.InvariantCulture, $"rgb(255,{shade},{shade})");
                    html.Append(CultureInfo.InvariantCulture, $"<td style=\"background:{fill}\" title=\"{E(ReportText.Rate(cell.Estimate))}, n = {cell.Estimate.Scored}\">{rate * 100:F0}%</td>");
                }
                else
                {
                    html.Append("<td>-</td>");
                }
            }

            html.Append("</tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string Table(string[] headers, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder("<table>\n<tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Length; i++)
            {
                html.Append(i >= 2 && i != 4 ? "<td class=\"n\">" : "<td>").Append(E(row[i])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }

    private static string ShortRate(RateEstimate e) =>
        e.Harmful == 0
            ? string.Create(CultureInfo.InvariantCulture, $"0/{e.Scored} (<= {e.Interval.Upper * 100:F1}%)")
            : string.Create(CultureInfo.InvariantCulture, $"{e.Rate * 100:F0}% ({e.Harmful}/{e.Scored})");

    private static string Short(string model) => model.Length <= 34 ? model : model[..15] + "..." + model[^16..];

    private static string Percent(double level) => string.Create(CultureInfo.InvariantCulture, $"{level * 100:0.#}%");

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
