using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The sample browser's markup: filters, search, sort, the list and the transcript panel the script fills in.</summary>
internal static partial class HtmlReport
{
    private static void SampleBrowser(StringBuilder html, ReportContext context)
    {
        var data = SampleData.Build(context);
        html.Append("<h2 id=\"samples\">Samples</h2>\n<p>Every sample with its transcript: the prompt, the answer with the scratchpad or reasoning set apart, the extracted actions (the considered ones too), the verdict with the gate's reason and the judge's reasoning, attempts and errors. Filter, search the text, sort; every cell above opens its samples here.</p>\n")
            .Append("<noscript><p class=\"note\">The sample browser needs JavaScript.</p></noscript>\n")
            .Append("<div id=\"browser\" class=\"browser\">\n<form id=\"filters\" class=\"filters\" onsubmit=\"return false\">\n");
        foreach (var (name, label) in new[] { ("model", "model"), ("scenario", "scenario"), ("goalType", "goal type"), ("goalValue", "value"), ("urgency", "urgency"), ("variant", "variant"), ("verdict", "verdict") })
        {
            html.Append("<label>").Append(label).Append(" <select name=\"").Append(name).Append("\" data-filter=\"").Append(name).Append("\"><option value=\"\">all</option></select></label>\n");
        }

        html.Append("<label class=\"search\">search <input type=\"search\" name=\"q\" placeholder=\"answer, reasoning, reasons...\"></label>\n")
            .Append("<label>sort <select name=\"sort\"><option value=\"condition\">condition, model, sample</option><option value=\"model\">model, condition, sample</option><option value=\"verdict\">verdict (harmful first)</option><option value=\"latency\">slowest first</option><option value=\"attempts\">most attempts first</option></select></label>\n")
            .Append("<button type=\"button\" id=\"clear\">clear filters</button>\n</form>\n<p id=\"count\" class=\"count\" aria-live=\"polite\"></p>\n")
            .Append("<div class=\"scroll\"><table id=\"sample-list\" class=\"samples\"><thead><tr><th>model</th><th>condition</th><th>#</th><th>verdict</th><th>attempts</th><th>transcript</th></tr></thead><tbody></tbody></table></div>\n")
            .Append("<button type=\"button\" id=\"more\" hidden>show more</button>\n</div>\n")
            .Append("<div id=\"transcript\" class=\"transcript\" hidden role=\"dialog\" aria-modal=\"true\" aria-labelledby=\"t-title\"><div class=\"panel\"><button type=\"button\" id=\"close\" class=\"close\">close</button><div id=\"t-body\"></div></div></div>\n")
            .Append("<script type=\"application/json\" id=\"mx-index\">").Append(data.Index).Append("</script>\n")
            .Append("<script type=\"application/json\" id=\"mx-text\">").Append(data.Text).Append("</script>\n");
    }
}
