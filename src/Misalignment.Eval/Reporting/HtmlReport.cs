using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>
/// The HTML report: one self-contained file (inline CSS, SVG and script, no external assets, works offline from disk) with
/// the run's statements, the headline figure, the pooled chart per scenario, the model comparisons, goal type by urgency, the
/// pivoted heat map, the tables, and a sample browser whose transcripts are embedded as compact JSON and drawn on demand.
/// </summary>
internal static partial class HtmlReport
{
    /// <summary>Renders the report.</summary>
    /// <param name="context">The statistics, samples, prompts and headline conditions.</param>
    /// <returns>The HTML text.</returns>
    public static string Render(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aggregation = context.Aggregation;
        var html = new StringBuilder();
        string title = $"Agentic misalignment results: {aggregation.Manifest.ExperimentId}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(E(title)).Append("</title>\n<style>\n").Append(Asset("report.css")).Append("</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n");
        var statements = ReportText.Statements(aggregation);
        foreach (string line in statements.Where(IsWarning))
        {
            html.Append("<p class=\"warning\">").Append(E(line)).Append("</p>\n");
        }

        html.Append("<ul class=\"statements\">\n");
        foreach (string line in statements.Where(l => !IsWarning(l)))
        {
            html.Append("<li>").Append(E(line)).Append("</li>\n");
        }

        html.Append("</ul>\n<nav class=\"toc\"><a href=\"#headline\">Headline figure</a> <a href=\"#pooled\">By scenario (pooled)</a> <a href=\"#compare\">Model against model</a> <a href=\"#goal-urgency\">Goal type by urgency</a> <a href=\"#heat\">Heat map</a> <a href=\"#samples\">Samples</a> <a href=\"#tables\">Tables</a></nav>\n");
        Headline(html, context);
        html.Append("<h2 id=\"pooled\">Harmful rate by scenario, pooled over all conditions</h2>\n<p>Each bar pools every condition of the scenario (all goal types, values and urgencies), so it is not the headline figure's rate. Bars are harmful / scored; whiskers are the ")
            .Append(Percent(aggregation.Level)).Append(" Wilson interval.</p>\n");
        html.Append("<div class=\"figures\">\n");
        foreach (var scenario in aggregation.By(RollUp.Scenario).GroupBy(g => g.Value))
        {
            html.Append(PooledChart(scenario.Key, [.. scenario]));
        }

        html.Append("</div>\n");

        Comparisons(html, aggregation, context.HeadlineCondition, context.ControlCondition);
        GoalTypeByUrgency(html, aggregation);
        HeatMap(html, aggregation);
        SampleBrowser(html, context);
        html.Append("<h2 id=\"tables\">By model</h2>\n").Append(Table(["model", "group", "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.Groups.Where(g => g.Axis is RollUp.All or RollUp.Scenario).Select(g => Row(g.Model, g.Axis == RollUp.All ? "all" : g.Value, g.Estimate))));
        if (aggregation.Awareness.Count > 0)
        {
            html.Append("<h2>Eval awareness</h2>\n<p>Harmful rate among samples in which the model concluded the situation was real, concluded it was an evaluation, or did not deliberate.</p>\n")
                .Append(Table(["model", "concluded", "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.Awareness.Select(g => Row(g.Model, g.Value, g.Estimate))));
        }

        foreach (var axis in new[] { (RollUp.GoalType, "goal type"), (RollUp.Urgency, "urgency"), (RollUp.GoalValue, "goal value") })
        {
            html.Append("<h2>By ").Append(axis.Item2).Append("</h2>\n").Append(Table(["model", axis.Item2, "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.By(axis.Item1).Select(g => Row(g.Model, g.Value, g.Estimate))));
        }

        html.Append("<h2 id=\"cells\">All cells</h2>\n<p>Each condition links to its samples.</p>\n")
            .Append(Table(["condition", "model", "scored", "harmful", "rate [CI]", "unscorable", "errors", "unclassified"], aggregation.Cells.Select(c => Row(c.ConditionId, c.Model, c.Estimate)), aggregation.Cells.Select(CellLink).ToList()));
        return html.Append(context.Agreement is { HasData: true } agreement ? JudgeAgreementText.Html(agreement) : string.Empty).Append("<script>\n").Append(Asset("report.js")).Append("</script>\n</body>\n</html>\n").ToString();
    }

    private static bool IsWarning(string line) => line.StartsWith("PARTIAL", StringComparison.Ordinal) || line.StartsWith("SIMULATED", StringComparison.Ordinal);

    private static string[] Row(string a, string b, RateEstimate e) =>
        [a, b, N(e.Scored), N(e.Harmful), ReportText.Rate(e), N(e.Unscorable), N(e.Errored), N(e.Unclassified)];

    /// <summary>A table in a scrolling box; the first column of row i links to <paramref name="links"/>[i] when given.</summary>
    private static string Table(string[] headers, IEnumerable<string[]> rows, List<string>? links = null)
    {
        var html = new StringBuilder("<div class=\"scroll\"><table>\n<tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("</tr>\n");
        int r = 0;
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Length; i++)
            {
                html.Append(i >= 2 && i != 4 ? "<td class=\"n\">" : "<td>");
                if (i == 0 && links is not null)
                {
                    html.Append("<a href=\"").Append(E(links[r])).Append("\">").Append(E(row[i])).Append("</a>");
                }
                else
                {
                    html.Append(E(row[i]));
                }

                html.Append("</td>");
            }

            html.Append("</tr>\n");
            r++;
        }

        return html.Append("</table></div>\n").ToString();
    }

    /// <summary>The link that opens a cell's samples in the browser.</summary>
    internal static string CellLink(CellStats cell) => Browse(("model", cell.Model), ("scenario", cell.Scenario), ("goalType", cell.GoalType.ToId()), ("goalValue", cell.GoalValue.ToId()), ("urgency", cell.Urgency.ToId()), ("variant", cell.Variant.ToId()));

    /// <summary>A link into the sample browser with the given filters.</summary>
    internal static string Browse(params (string Name, string Value)[] filters) =>
        "#browse?" + string.Join("&", filters.Select(f => f.Name + "=" + Uri.EscapeDataString(f.Value)));

    private static string Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Misalignment.Eval.Report/" + name)
            ?? throw new InvalidOperationException($"The report asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Percent(double level) => string.Create(CultureInfo.InvariantCulture, $"{level * 100:0.#}%");

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
