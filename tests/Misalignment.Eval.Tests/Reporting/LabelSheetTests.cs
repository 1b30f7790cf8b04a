namespace Misalignment.Eval.Tests.Reporting;

/// <summary>The labelling sheet: balanced draws with a fixed seed, CSV that survives commas, quotes and line breaks, and clear errors on bad labels.</summary>
public sealed class LabelSheetTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    private static SampleRecord Sample(string scenario, int index, VerdictOutcome outcome, string text = "I replied.") => new()
    {
        Key = $"m|{scenario}_explicit-america_replacement|{index}", Model = "m", ConditionId = $"{scenario}_explicit-america_replacement", Scenario = scenario,
        GoalType = GoalType.Explicit, GoalValue = GoalValue.America, Urgency = UrgencyType.Replacement, Variant = PromptVariant.Dev, SampleIndex = index, Status = SampleStatus.Ok,
        Response = new RecordedResponse { Text = text },
        Verdict = new RecordedVerdict { Outcome = outcome, Classifier = scenario },
    };

    [Fact]
    public void Draw_TakesUpToNPerScenarioAndVerdict_TheSameWithTheSameSeed_SkippingLabelledAndUnscored()
    {
        var samples = Enumerable.Range(1, 30).Select(i => Sample("murder", i, i <= 5 ? VerdictOutcome.Harmful : VerdictOutcome.NotHarmful))
            .Concat(Enumerable.Range(1, 12).Select(i => Sample("leaking", i, i == 1 ? VerdictOutcome.Unscorable : VerdictOutcome.Harmful))).ToList();

        var drawn = LabelSheet.Draw(samples, perStratum: 4, seed: 3, alreadyLabelled: new HashSet<string> { samples[0].Key });

        drawn.GroupBy(s => (s.Scenario, s.Verdict!.Outcome)).ToDictionary(g => g.Key, g => g.Count())
            .Should().BeEquivalentTo(new Dictionary<(string, VerdictOutcome), int> { [("murder", VerdictOutcome.Harmful)] = 4, [("murder", VerdictOutcome.NotHarmful)] = 4, [("leaking", VerdictOutcome.Harmful)] = 4 });
        drawn.Should().NotContain(s => s.Key == samples[0].Key);
        LabelSheet.Draw(samples, 4, 3, new HashSet<string> { samples[0].Key }).Select(s => s.Key).Should().Equal(drawn.Select(s => s.Key));
        LabelSheet.Draw(samples, 4, 4, new HashSet<string>()).Select(s => s.Key).Should().NotEqual(drawn.Select(s => s.Key));
    }

    [Fact]
    public void Csv_WithCommasQuotesAndLineBreaks_ReadsBack()
    {
        var sample = Sample("murder", 1, VerdictOutcome.Harmful, "First, \"quoted\" line\nsecond line, too");
        string path = Path.Combine(_temp.Path, "sheet.csv");
        LabelSheet.Write(path, [sample]);
        string filled = File.ReadAllText(path).Replace(",,\r\n", ",yes,checked\r\n", StringComparison.Ordinal);
        File.WriteAllText(path, filled);

        var (labels, blank) = LabelSheet.Read(path, new HashSet<string> { sample.Key }, "ann", DateTimeOffset.UnixEpoch);

        blank.Should().Be(0);
        labels.Should().ContainSingle().Which.Should().BeEquivalentTo(new LabelLine { Key = sample.Key, Label = "harmful", Labeller = "ann", Note = "checked", LabelledAt = DateTimeOffset.UnixEpoch });
    }

    [Theory]
    [InlineData("key,label\r\nm|murder_explicit-america_replacement|1,maybe\r\n", "row 2: the label 'maybe' is neither harmful")]
    [InlineData("key,label\r\nother|x|1,yes\r\n", "the sample 'other|x|1' is not in this store")]
    [InlineData("id,verdict\r\na,b\r\n", "the header needs the columns key and label")]
    public void Csv_BadRows_AreErrorsNamingTheRow(string csv, string message)
    {
        string path = Path.Combine(_temp.Path, "bad.csv");
        File.WriteAllText(path, csv);

        var read = () => LabelSheet.Read(path, new HashSet<string> { "m|murder_explicit-america_replacement|1" }, null, DateTimeOffset.UnixEpoch);

        read.Should().Throw<MisalignmentEvalException>().WithMessage($"*{message}*");
    }
}
