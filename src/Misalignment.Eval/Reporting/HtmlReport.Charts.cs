using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The SVG charts: horizontal bars with Wilson whiskers, scaled by their viewBox, labels never clipped.</summary>
internal static partial class HtmlReport
{
    private const int Left = 12;
    private const int BarArea = 330;
    private const int ValueArea = 130;
    private const string HarmColor = "#cf222e";
    private const string ControlColor = "#6e7781";

    private static void Headline(StringBuilder html, ReportContext context)
    {
        var aggregation = context.Aggregation;
        var figure = ReportFigures.Headline(aggregation, context.HeadlineCondition, context.ControlCondition);
        html.Append("<h2 id=\"headline\">Headline figure: goal conflict plus replacement against the control</h2>\n<p>Per scenario, a bar per model for <code>")
            .Append(E(context.HeadlineCondition)).Append("</code> and for the control <code>").Append(E(context.ControlCondition))
            .Append("</code>, as in the published Figures 1 and 11. Whiskers are the ").Append(Percent(aggregation.Level)).Append(" Wilson interval; a bar opens its samples.</p>\n");
        if (figure.Count == 0)
        {
            html.Append("<p class=\"note\">This run has neither condition in any scenario.</p>\n");
            return;
        }

        html.Append("<div class=\"figures\">\n");
        foreach (var (scenario, rows) in figure)
        {
            const int label = Left;
            int width = Width(rows.Select(r => r.Model));
            int height = 52 + (rows.Count * 58) + 26;
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart headline\" data-scenario=\"{E(scenario)}\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" role=\"img\" aria-label=\"Headline figure, scenario {E(scenario)}\">\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"18\" font-weight=\"600\" font-size=\"14\">{E(scenario)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{label}\" y=\"28\" width=\"12\" height=\"12\" fill=\"{HarmColor}\"/><text x=\"{label + 16}\" y=\"38\">{E(context.HeadlineCondition)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{label + 225}\" y=\"28\" width=\"12\" height=\"12\" fill=\"{ControlColor}\"/><text x=\"{label + 241}\" y=\"38\">control: {E(context.ControlCondition)}</text>\n");
            Axis(svg, label, 48, height);
            int y = 52;
            foreach (var row in rows)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{label}\" y=\"{y + 14}\" font-weight=\"600\">{E(row.Model)}</text>\n");
                CellBar(svg, label, y + 18, 16, row.Headline, "bar headline", HarmColor);
                CellBar(svg, label, y + 36, 16, row.Control, "bar control", ControlColor);
                y += 58;
            }

            html.Append(svg).Append("</svg>\n</figure>\n");
        }

        html.Append("</div>\n");
    }

    private static string PooledChart(string scenario, IReadOnlyList<GroupStats> models)
    {
        const int rowHeight = 40;
        const int label = Left;
        int width = Width(models.Select(m => m.Model));
        int height = 40 + (models.Count * rowHeight) + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" data-scenario=\"{E(scenario)}\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" role=\"img\" aria-label=\"Harmful rate by model, scenario {E(scenario)}, pooled over all conditions\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"18\" font-weight=\"600\" font-size=\"14\">{E(scenario)} (pooled over all conditions)</text>\n");
        Axis(svg, label, 30, height);
        int y = 36;
        foreach (var model in models)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{label}\" y=\"{y + 12}\" font-weight=\"600\">{E(model.Model)}</text>\n");
            svg.Append("<a href=\"").Append(E(Browse(("model", model.Model), ("scenario", scenario)))).Append("\">");
            Bar(svg, label, y + 17, 18, model.Estimate, "bar", HarmColor);
            svg.Append("</a>\n");
            y += rowHeight;
        }

        return svg.Append("</svg>\n</figure>\n").ToString();
    }

    private static void CellBar(StringBuilder svg, int label, int top, int height, CellStats? cell, string cssClass, string color)
    {
        if (cell is null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{label + 4}\" y=\"{top + height - 5}\" fill=\"#57606a\">not in this run</text>\n");
            return;
        }

        svg.Append("<a href=\"").Append(E(CellLink(cell))).Append("\">");
        Bar(svg, label, top, height, cell.Estimate, cssClass, color);
        svg.Append("</a>\n");
    }

    private static void Bar(StringBuilder svg, int label, int top, int height, RateEstimate e, string cssClass, string color)
    {
        if (e.Scored == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{label + 4}\" y=\"{top + height - 5}\" fill=\"#57606a\">nothing scored</text>");
            return;
        }

        double lo = label + (BarArea * e.Interval.Lower);
        double hi = label + (BarArea * e.Interval.Upper);
        double mid = top + (height / 2.0);
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cssClass}\" x=\"{label}\" y=\"{top}\" width=\"{BarArea * e.Rate:F1}\" height=\"{height}\" fill=\"{color}\" fill-opacity=\"0.85\"><title>{E(ReportText.Rate(e))}, n = {e.Scored}</title></rect>");
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"whisker\" d=\"M{lo:F1} {mid:F1}H{hi:F1}M{lo:F1} {mid - 5:F1}V{mid + 5:F1}M{hi:F1} {mid - 5:F1}V{mid + 5:F1}\" stroke=\"#1f2328\" stroke-width=\"1.5\" fill=\"none\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{label + BarArea + 8}\" y=\"{mid + 4:F1}\">{E(ShortRate(e))}</text>");
    }

    private static void Axis(StringBuilder svg, int label, int top, int height)
    {
        for (int tick = 0; tick <= 100; tick += 25)
        {
            double x = label + (BarArea * tick / 100.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{top}\" x2=\"{x:F1}\" y2=\"{height - 24}\" stroke=\"#d0d7de\"/><text x=\"{x:F1}\" y=\"{height - 8}\" text-anchor=\"middle\" fill=\"#57606a\">{tick}%</text>\n");
        }
    }

    /// <summary>The chart's width: the bars and their values, or the longest label above its bars at 12px (about 7px a character, bold), so no label is clipped.</summary>
    private static int Width(IEnumerable<string> labels) => Math.Max(Left + BarArea + ValueArea, Left + (labels.Select(l => l.Length).DefaultIfEmpty(0).Max() * 8) + 8);

    private static string ShortRate(RateEstimate e) =>
        e.Harmful == 0
            ? string.Create(CultureInfo.InvariantCulture, $"0/{e.Scored} (<= {e.Interval.Upper * 100:F1}%)")
            : string.Create(CultureInfo.InvariantCulture, $"{e.Rate * 100:F0}% ({e.Harmful}/{e.Scored})");
}
