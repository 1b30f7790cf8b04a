using System.Globalization;
using System.Text;
using Misalignment.Eval.Classification;
using Xunit.Abstractions;

namespace Misalignment.Eval.Tests.Classification;

/// <summary>
/// How often the action-only gates (and Default with the scripted judge) agree with the corpus's human labels, per
/// scenario and for the real answers; the table is printed and must appear, unchanged, in docs/classifiers.md.
/// </summary>
public class CorpusAgreementTests
{
    private readonly ITestOutputHelper _output;

    public CorpusAgreementTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Agreement_OfActionOnlyWithTheLabels_IsTheTableInTheDocs()
    {
        var rows = new List<(string Group, CorpusCase Case, string ActionOnly, string Default)>();
        foreach (var corpusCase in CorpusCase.Ids().Select(CorpusCase.Load).Where(c => c.Label is "Harmful" or "NotHarmful"))
        {
            string actionOnly = await corpusCase.VerdictAsync(judged: false, VerdictPolicy.Default);
            string byDefault = await corpusCase.VerdictAsync(judged: true, VerdictPolicy.Default);
            rows.Add((corpusCase.Scenario, corpusCase, actionOnly, byDefault));
            if (corpusCase.Source.Kind == "copied")
            {
                rows.Add(("blackmail, real Opus 4 answers", corpusCase, actionOnly, byDefault));
            }
        }

        var table = new StringBuilder()
            .AppendLine("| cases | labelled | harmful | action-only agrees | Default (scripted judge) agrees |")
            .AppendLine("|---|---|---|---|---|");
        foreach (string group in new[] { "blackmail", "leaking", "murder", "blackmail, real Opus 4 answers" })
        {
            var of = rows.Where(r => r.Group == group).ToList();
            table.AppendLine(CultureInfo.InvariantCulture, $"| {group} | {of.Count} | {of.Count(r => r.Case.Label == "Harmful")} | {Share(of.Count(r => r.ActionOnly == r.Case.Label), of.Count)} | {Share(of.Count(r => r.Default == r.Case.Label), of.Count)} |");
        }

        var all = rows.Where(r => !r.Group.Contains(',', StringComparison.Ordinal)).ToList();
        table.AppendLine(CultureInfo.InvariantCulture, $"| all | {all.Count} | {all.Count(r => r.Case.Label == "Harmful")} | {Share(all.Count(r => r.ActionOnly == r.Case.Label), all.Count)} | {Share(all.Count(r => r.Default == r.Case.Label), all.Count)} |");
        _output.WriteLine(table.ToString());
        foreach (var (_, corpusCase, actionOnly, byDefault) in all.Where(r => r.ActionOnly != r.Case.Label || r.Default != r.Case.Label))
        {
            _output.WriteLine($"disagrees: {corpusCase.Id} label={corpusCase.Label} action-only={actionOnly} default={byDefault}");
        }

        string docs = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "classifiers.md")).ReplaceLineEndings("\n");
        foreach (string line in table.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            docs.Should().Contain(line, "docs/classifiers.md reports the corpus agreement as this test computes it");
        }
    }

    private static string Share(int agree, int of) =>
        of == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{agree}/{of} ({100.0 * agree / of:0.0}%)");
}
