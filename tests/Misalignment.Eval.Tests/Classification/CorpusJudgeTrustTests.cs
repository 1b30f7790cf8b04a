using Misalignment.Eval.Classification;
using Misalignment.Eval.Reporting;
using Misalignment.Eval.Tests.Fakes;
using Xunit.Abstractions;

namespace Misalignment.Eval.Tests.Classification;

/// <summary>
/// Dogfood: the kit's figures on the corpus's human-labelled answers, classified under the Default policy by a scripted
/// judge that errs on purpose (it says no on every third truly harmful case and yes on every fourth harmless one).
/// The labels are the known truth, so the corrected rate can be checked against it.
/// </summary>
public class CorpusJudgeTrustTests
{
    private readonly ITestOutputHelper _output;

    public CorpusJudgeTrustTests(ITestOutputHelper output) => _output = output;

    private static async Task<(List<SampleRecord> Samples, Dictionary<string, LabelLine> Truth)> ClassifyAsync()
    {
        var samples = new List<SampleRecord>();
        var truth = new Dictionary<string, LabelLine>(StringComparer.Ordinal);
        int harmfulSeen = 0, harmlessSeen = 0;
        foreach (var corpusCase in CorpusCase.Ids().Select(CorpusCase.Load).Where(c => c.Label is "Harmful" or "NotHarmful"))
        {
            bool harmful = corpusCase.Label == "Harmful";
            bool says = harmful ? harmfulSeen++ % 3 != 0 : harmlessSeen++ % 4 == 0;
            var judge = new Judge("erring-judge", ScriptedChatClient.Always($"<reasoning>scripted</reasoning><answer>{(says ? "yes" : "no")}</answer>"));
            var verdict = await Classifiers.ForScenario(corpusCase.Scenario, judge).ClassifyAsync(corpusCase.Prompt(), corpusCase.ToResponse());
            if (!verdict.IsScored)
            {
                continue;
            }

            var condition = Condition.Parse(corpusCase.Condition, out _);
            samples.Add(new SampleRecord
            {
                Key = corpusCase.Id, Model = "corpus", ConditionId = corpusCase.Condition, Scenario = corpusCase.Scenario,
                GoalType = condition.GoalType, GoalValue = condition.GoalValue, Urgency = condition.Urgency, Variant = PromptVariant.Dev,
                SampleIndex = 1, Status = SampleStatus.Ok, Response = new RecordedResponse { Text = corpusCase.Response },
                Verdict = new RecordedVerdict { Outcome = verdict.Outcome, Classifier = verdict.Classifier, JudgeBacked = true, JudgeModel = "erring-judge", JudgeReply = verdict.JudgeReply },
            });
            truth[corpusCase.Id] = new LabelLine { Key = corpusCase.Id, Label = harmful ? "harmful" : "not_harmful" };
        }

        return (samples, truth);
    }

    [Fact]
    public async Task EveryCaseLabelled_TheCorrectedRateIsTheTruth()
    {
        var (samples, truth) = await ClassifyAsync();

        var agreement = JudgeAgreement.Compute(samples, new Dictionary<(string, string), JudgementLine>(), truth);
        _output.WriteLine(JudgeAgreementText.Markdown(agreement, maxRows: 0));

        foreach (var scenario in agreement.Scenarios)
        {
            var of = samples.Where(s => s.Scenario == scenario.Scenario).ToList();
            long a = of.Count(s => s.Verdict!.Outcome == VerdictOutcome.Harmful && truth[s.Key].Label == "harmful"), b = of.Count(s => s.Verdict!.Outcome == VerdictOutcome.Harmful) - a;
            long c = of.Count(s => s.Verdict!.Outcome == VerdictOutcome.NotHarmful && truth[s.Key].Label == "harmful"), d = of.Count - a - b - c;
            var labels = scenario.Labels!;
            labels.Counts.Should().Be(new LabelCounts(a, b, c, d, a + b, c + d));
            labels.Sensitivity.Value.Should().BeApproximately((double)a / (a + c), 1e-12);
            labels.Specificity.Value.Should().BeApproximately((double)d / (b + d), 1e-12);
            double trueRate = (double)(a + c) / of.Count;
            labels.Corrected.Value!.Value.Should().BeApproximately(trueRate, 1e-9, "with every case labelled the correction recovers the labelled rate exactly ({0})", scenario.Scenario);
        }

        agreement.Scenarios.Sum(s => s.Labels!.Counts.C).Should().BeGreaterThan(0, "the erring judge misses harmful answers");
    }

    [Fact]
    public async Task ABalancedSheet_ItsCorrectedRateCoversTheTruth_WhereTheObservedRateMissesIt()
    {
        var (samples, truth) = await ClassifyAsync();
        var sheet = LabelSheet.Draw(samples, perStratum: 12, seed: 7, alreadyLabelled: new HashSet<string>());
        var labelled = sheet.ToDictionary(s => s.Key, s => truth[s.Key], StringComparer.Ordinal);

        var agreement = JudgeAgreement.Compute(samples, new Dictionary<(string, string), JudgementLine>(), labelled);
        _output.WriteLine(JudgeAgreementText.Markdown(agreement, maxRows: 0));

        foreach (var scenario in agreement.Scenarios)
        {
            var of = samples.Where(s => s.Scenario == scenario.Scenario).ToList();
            double trueRate = of.Count(s => truth[s.Key].Label == "harmful") / (double)of.Count;
            var corrected = scenario.Labels!.Corrected;
            _output.WriteLine($"{scenario.Scenario}: truth {trueRate:0.000}, observed {corrected.Observed:0.000}, corrected {corrected.Value:0.000} [{corrected.Interval?.Lower:0.000}, {corrected.Interval?.Upper:0.000}] from {scenario.Labels.Counts.Labelled} labels");
            corrected.Interval!.Value.Lower.Should().BeLessThanOrEqualTo(trueRate, scenario.Scenario);
            corrected.Interval.Value.Upper.Should().BeGreaterThanOrEqualTo(trueRate, scenario.Scenario);
            Math.Abs(corrected.Value!.Value - trueRate).Should().BeLessThan(Math.Abs(corrected.Observed - trueRate) + 1e-9, "the correction moves the rate toward the truth ({0})", scenario.Scenario);
        }
    }
}
