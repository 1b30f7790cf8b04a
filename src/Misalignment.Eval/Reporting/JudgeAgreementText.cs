using System.Globalization;
using System.Net;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The "How far to trust the judge" section, as Markdown (the report and <c>misalign agreement</c>) and as HTML.</summary>
internal static class JudgeAgreementText
{
    public const string Title = "How far to trust the judge";

    public static string Markdown(JudgeAgreement agreement, int maxRows = int.MaxValue, string heading = "##")
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{heading} {Title}\n\n");
        text.Append("Which decider stands behind each published number, how often the deterministic gate and the judge disagree, how the verdicts compare with human labels, and a second judge. See docs/classifiers.md.\n\n");
        text.Append("| scenario | verdicts decided by |\n|---|---|\n");
        foreach (var s in agreement.Scenarios)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {s.Scenario} | {DecidedBy(s)} |\n");
        }

        foreach (var s in agreement.Scenarios)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{heading}# Scenario `{s.Scenario}`\n");
            if (s.Gate is { } gate)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nGate vs judge ({s.Judge ?? "no judge"}): {gate.Compared} samples with both answers; gate yes / judge no {gate.GateYesJudgeNo}, gate no / judge yes {gate.GateNoJudgeYes}, both yes {gate.BothYes}, both no {gate.BothNo}.");
                if (gate.GateNoNotAsked > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $" The judge was not asked on {gate.GateNoNotAsked} gate-no sample(s) (the Default policy skips it): run `misalign agreement --judge SPEC` to measure the gate's misses.");
                }

                text.Append('\n');
                Rows(text, gate.Disagreements, maxRows, "gate", "judge");
            }

            if (s.Labels is { } labels)
            {
                var c = labels.Counts;
                text.Append(CultureInfo.InvariantCulture, $"\nVerdict vs human labels ({c.Labelled} labelled of {c.Harmful + c.NotHarmful} scored; labelled samples reweighted to the store's verdicts):\n\n");
                text.Append("| | label harmful | label not harmful |\n|---|---:|---:|\n");
                text.Append(CultureInfo.InvariantCulture, $"| verdict harmful | {c.A} | {c.B} |\n| verdict not harmful | {c.C} | {c.D} |\n\n");
                text.Append(CultureInfo.InvariantCulture, $"- sensitivity {Rate(labels.Sensitivity)}, specificity {Rate(labels.Specificity)} ({Percent(agreement.Level)} Wilson)\n");
                text.Append(CultureInfo.InvariantCulture, $"- Cohen's kappa {Number(labels.Kappa.Value)} (SE {Number(labels.Kappa.StandardError)}, {Percent(agreement.Level)} CI [{Number(labels.Kappa.Interval.Lower)}, {Number(labels.Kappa.Interval.Upper)}])\n");
                text.Append(CultureInfo.InvariantCulture, $"- harmful rate: observed {Percent(labels.Corrected.Observed)}, corrected for the verdict's error (Rogan-Gladen) {Corrected(labels.Corrected)}\n");
            }

            foreach (var other in s.OtherJudges)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nJudge vs judge: {other.Judge} against {s.Judge}: {other.Pairs} samples with both answers, kappa {Number(other.Kappa.Value)} (SE {Number(other.Kappa.StandardError)}), agreement {Percent(other.Kappa.ObservedAgreement)}, {other.Disagreements.Count} disagreement(s).\n");
                Rows(text, other.Disagreements, maxRows, s.Judge ?? "first", other.Judge);
            }
        }

        return text.ToString();
    }

    public static string Html(JudgeAgreement agreement, int maxRows = 20)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<h2>{Title}</h2>\n<table><thead><tr><th>scenario</th><th>decided by</th><th>gate yes / judge no</th><th>gate no / judge yes</th><th>labelled</th><th>sensitivity</th><th>specificity</th><th>kappa</th><th>observed rate</th><th>corrected rate</th></tr></thead><tbody>\n");
        foreach (var s in agreement.Scenarios)
        {
            var l = s.Labels;
            html.Append("<tr>").Append(Cell(s.Scenario)).Append(Cell(DecidedBy(s)))
                .Append(Cell(s.Gate is { } g ? $"{g.GateYesJudgeNo} of {g.Compared}" : "-"))
                .Append(Cell(s.Gate is { } h ? $"{h.GateNoJudgeYes} of {h.Compared}{(h.GateNoNotAsked > 0 ? $" ({h.GateNoNotAsked} not asked)" : string.Empty)}" : "-"))
                .Append(Cell(l is null ? "-" : $"{l.Counts.Labelled}"))
                .Append(Cell(l is null ? "-" : Rate(l.Sensitivity))).Append(Cell(l is null ? "-" : Rate(l.Specificity)))
                .Append(Cell(l is null ? "-" : $"{Number(l.Kappa.Value)} ± {Number(l.Kappa.StandardError)}"))
                .Append(Cell(l is null ? "-" : Percent(l.Corrected.Observed))).Append(Cell(l is null ? "-" : Corrected(l.Corrected)))
                .Append("</tr>\n");
        }

        html.Append("</tbody></table>\n");
        var listed = agreement.Scenarios.SelectMany(s => (s.Gate?.Disagreements ?? []).Concat(s.OtherJudges.SelectMany(o => o.Disagreements))).ToList();
        if (listed.Count > 0)
        {
            html.Append("<details><summary>Disagreements (").Append(listed.Count).Append(")</summary><table><thead><tr><th>sample</th><th>first</th><th>second</th></tr></thead><tbody>\n");
            foreach (var d in listed.Take(maxRows))
            {
                html.Append("<tr>").Append(Cell(d.Key)).Append(Cell(d.First)).Append(Cell(d.Second)).Append("</tr>\n");
            }

            html.Append("</tbody></table>").Append(listed.Count > maxRows ? $"<p>… and {listed.Count - maxRows} more: <code>misalign agreement</code> lists them all.</p>" : string.Empty).Append("</details>\n");
        }

        foreach (var s in agreement.Scenarios.Where(s => s.OtherJudges.Count > 0))
        {
            foreach (var o in s.OtherJudges)
            {
                html.Append("<p>").Append(WebUtility.HtmlEncode($"{s.Scenario}: {o.Judge} against {s.Judge}: kappa {Number(o.Kappa.Value)} (SE {Number(o.Kappa.StandardError)}) on {o.Pairs} samples.")).Append("</p>\n");
            }
        }

        return html.ToString();
    }

    private static void Rows(StringBuilder text, IReadOnlyList<Disagreement> rows, int maxRows, string first, string second)
    {
        if (rows.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"\n| sample | {first} | {second} |\n|---|---|---|\n");
        foreach (var row in rows.Take(maxRows))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(row.Key)} | {Escape(row.First)} | {Escape(row.Second)} |\n");
        }

        if (rows.Count > maxRows)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {rows.Count - maxRows} more: `misalign agreement` lists them all.\n");
        }
    }

    private static string DecidedBy(ScenarioAgreement s) => s.DecidedBy.Count == 0 ? "no scored verdict" : string.Join(", ", s.DecidedBy.OrderByDescending(p => p.Value).Select(p => $"{p.Key} ({p.Value})"));

    private static string Corrected(CorrectedRate rate) => rate.Value is { } v && rate.Interval is { } i ? $"{Percent(v)} [{Percent(i.Lower)}, {Percent(i.Upper)}]" : $"none: {rate.Problem}";

    private static string Rate(Estimated e) => double.IsNaN(e.Value) ? "n/a" : $"{Percent(e.Value)} [{Percent(e.Interval.Lower)}, {Percent(e.Interval.Upper)}]";

    private static string Percent(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Cell(string text) => $"<td>{WebUtility.HtmlEncode(text)}</td>";
}
