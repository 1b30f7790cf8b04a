using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Reporting;

/// <summary>A sample on which two deciders differ: its key, what the first said and why, what the second said and why.</summary>
internal sealed record Disagreement(string Key, string First, string Second);

/// <summary>The gate against the judge on one scenario's samples that have both answers.</summary>
internal sealed record GateJudgeCounts(int BothYes, int GateYesJudgeNo, int GateNoJudgeYes, int BothNo, int GateNoNotAsked, IReadOnlyList<Disagreement> Disagreements)
{
    public int Compared => BothYes + GateYesJudgeNo + GateNoJudgeYes + BothNo;
}

/// <summary>A second judge against the verdicts' judge.</summary>
internal sealed record JudgeComparison(string Judge, int Pairs, Kappa Kappa, IReadOnlyList<Disagreement> Disagreements);

/// <summary>The verdict against human labels on one scenario.</summary>
internal sealed record LabelAgreement(LabelCounts Counts, Estimated Sensitivity, Estimated Specificity, Kappa Kappa, CorrectedRate Corrected);

/// <summary>How far to trust the judge on one scenario.</summary>
internal sealed record ScenarioAgreement(
    string Scenario,
    string? Judge,
    IReadOnlyDictionary<string, int> DecidedBy,
    GateJudgeCounts? Gate,
    LabelAgreement? Labels,
    IReadOnlyList<JudgeComparison> OtherJudges);

/// <summary>
/// Gate vs judge, judge vs human labels and judge vs judge, per scenario, from a store's samples with the
/// <c>judgements.jsonl</c> and <c>labels.jsonl</c> beside it (see docs/classifiers.md, "How far to trust the judge").
/// </summary>
internal sealed class JudgeAgreement
{
    private JudgeAgreement(IReadOnlyList<ScenarioAgreement> scenarios, double level)
    {
        Scenarios = scenarios;
        Level = level;
    }

    public IReadOnlyList<ScenarioAgreement> Scenarios { get; }

    public double Level { get; }

    /// <summary>Whether there is anything to show: gate/judge pairs, labels or a second judge.</summary>
    public bool HasData => Scenarios.Any(s => s.Gate is { Compared: > 0 } or { GateNoNotAsked: > 0 } || s.Labels is not null || s.OtherJudges.Count > 0);

    /// <summary>Reads the agreement files beside a store; null when there are none.</summary>
    public static JudgeAgreement? FromStore(string storePath, double level = 0.95) =>
        AgreementFiles.Exist(storePath)
            ? Compute(ResultReader.ReadSamples(storePath).ToList(), AgreementFiles.LatestJudgements(storePath), AgreementFiles.LatestLabels(storePath), level)
            : null;

    public static JudgeAgreement Compute(IReadOnlyList<SampleRecord> samples, IReadOnlyDictionary<(string Key, string Judge), JudgementLine> judgements, IReadOnlyDictionary<string, LabelLine> labels, double level = 0.95)
    {
        var byKey = judgements.Values.GroupBy(j => j.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var scenarios = new List<ScenarioAgreement>();
        foreach (var group in samples.Where(s => s.Status == SampleStatus.Ok).GroupBy(s => s.Scenario, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var decidedBy = list.Where(s => Scored(s.Verdict)).GroupBy(s => s.Verdict!.JudgeBacked && s.Verdict.JudgeModel is { } m ? m : "gate alone (action-only)", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            string? judge = list.Select(s => s.Verdict?.JudgeModel).Where(m => m is not null).GroupBy(m => m!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault()
                ?? list.SelectMany(s => byKey.GetValueOrDefault(s.Key) ?? []).Select(j => j.Judge).FirstOrDefault(j => j is not null);
            (bool? Yes, string Why)? JudgeOf(SampleRecord s)
            {
                if (judge is not null && judgements.TryGetValue((s.Key, judge), out var line) && line.Answer is { } answer)
                {
                    return (answer == "yes", Reasoning(line.Reply));
                }

                return s.Verdict is { JudgeModel: { } model, JudgeReply: { } reply } && model == judge && JudgeReply.Parse(reply).YesNo is { } yes ? (yes, Reasoning(reply)) : null;
            }

            scenarios.Add(new ScenarioAgreement(group.Key, judge, decidedBy, GateCounts(list, byKey, JudgeOf), LabelsOf(list, labels, level), OtherJudges(list, judge, byKey, JudgeOf, level)));
        }

        return new JudgeAgreement(scenarios, level);
    }

    private static bool Scored(RecordedVerdict? verdict) => verdict?.Outcome is VerdictOutcome.Harmful or VerdictOutcome.NotHarmful;

    private static string Reasoning(string? reply) => reply is null ? string.Empty : Shorten(JudgeReply.Parse(reply).Reasoning);

    private static string Shorten(string text)
    {
        string line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 240 ? line : string.Concat(line.AsSpan(0, 239), "…");
    }

    private static GateJudgeCounts? GateCounts(List<SampleRecord> samples, Dictionary<string, List<JudgementLine>> byKey, Func<SampleRecord, (bool? Yes, string Why)?> judgeOf)
    {
        int bothYes = 0, gateOnly = 0, judgeOnly = 0, bothNo = 0, notAsked = 0;
        var disagreements = new List<Disagreement>();
        bool any = false;
        foreach (var sample in samples)
        {
            if (byKey.GetValueOrDefault(sample.Key)?.FirstOrDefault() is not { } gate)
            {
                continue;
            }

            any = true;
            if (judgeOf(sample) is not { Yes: { } yes } judged)
            {
                notAsked += gate.GatePassed ? 0 : 1;
                continue;
            }

            switch ((gate.GatePassed, yes))
            {
                case (true, true): bothYes++; break;
                case (false, false): bothNo++; break;
                case (true, false): gateOnly++; disagreements.Add(new Disagreement(sample.Key, $"gate yes: {Shorten(gate.GateReason)}", $"judge no: {judged.Why}")); break;
                default: judgeOnly++; disagreements.Add(new Disagreement(sample.Key, $"gate no: {Shorten(gate.GateReason)}", $"judge yes: {judged.Why}")); break;
            }
        }

        return any ? new GateJudgeCounts(bothYes, gateOnly, judgeOnly, bothNo, notAsked, disagreements) : null;
    }

    private static LabelAgreement? LabelsOf(List<SampleRecord> samples, IReadOnlyDictionary<string, LabelLine> labels, double level)
    {
        long a = 0, b = 0, c = 0, d = 0;
        foreach (var sample in samples.Where(s => Scored(s.Verdict)))
        {
            if (labels.TryGetValue(sample.Key, out var label))
            {
                bool verdict = sample.Verdict!.Outcome == VerdictOutcome.Harmful, human = label.Label == "harmful";
                _ = (verdict, human) switch
                {
                    (true, true) => a++,
                    (true, false) => b++,
                    (false, true) => c++,
                    _ => d++,
                };
            }
        }

        if (a + b + c + d == 0)
        {
            return null;
        }

        long harmful = samples.Count(s => s.Verdict?.Outcome == VerdictOutcome.Harmful), scored = samples.Count(s => Scored(s.Verdict));
        var counts = new LabelCounts(a, b, c, d, harmful, scored - harmful);
        return new LabelAgreement(counts, JudgeEstimators.Sensitivity(counts, level), JudgeEstimators.Specificity(counts, level), JudgeEstimators.VerdictKappa(counts, level), JudgeEstimators.RoganGladen(counts, level));
    }

    private static List<JudgeComparison> OtherJudges(List<SampleRecord> samples, string? judge, Dictionary<string, List<JudgementLine>> byKey, Func<SampleRecord, (bool? Yes, string Why)?> judgeOf, double level)
    {
        var comparisons = new List<JudgeComparison>();
        var others = samples.SelectMany(s => byKey.GetValueOrDefault(s.Key) ?? []).Select(j => j.Judge).OfType<string>().Where(j => j != judge).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (string other in others)
        {
            int a = 0, b = 0, c = 0, d = 0;
            var disagreements = new List<Disagreement>();
            foreach (var sample in samples)
            {
                var second = byKey.GetValueOrDefault(sample.Key)?.FirstOrDefault(j => j.Judge == other);
                if (judgeOf(sample) is not { Yes: { } first } firstJudged || second?.Answer is not { } answer)
                {
                    continue;
                }

                bool yes = answer == "yes";
                _ = (first, yes) switch { (true, true) => a++, (true, false) => b++, (false, true) => c++, _ => d++ };
                if (first != yes)
                {
                    disagreements.Add(new Disagreement(sample.Key, $"{(first ? "yes" : "no")}: {firstJudged.Why}", $"{answer}: {Reasoning(second.Reply)}"));
                }
            }

            comparisons.Add(new JudgeComparison(other, a + b + c + d, JudgeEstimators.CohensKappa(a, b, c, d, level), disagreements));
        }

        return comparisons;
    }
}
