using Misalignment.Eval.Interop;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Running;

namespace Misalignment.Eval.Tests.Reporting;

public class AggregatorTests : RunnerTestBase
{
    [Fact]
    public async Task FromStore_KnownRates_CountsCellsAndRollUps()
    {
        string folder = Path.GetDirectoryName(StorePath)!;
        var conditions = ConditionGrid.Expand([new GridExpansion { Scenarios = BuiltInScenarios.Ids, GoalTypes = [GoalType.Explicit, GoalType.None], GoalValues = [GoalValue.America], Urgencies = [UrgencyType.Replacement] }]);
        string path = await ReportFixtures.CreateAsync(folder, conditions, 10, ("fake:often", 8), ("fake:rarely", 1));

        var aggregation = Aggregator.FromStore(path);

        aggregation.Partial.Should().BeFalse();
        aggregation.Recorded.Should().Be(2 * 6 * 10);
        aggregation.Cells.Should().HaveCount(12);
        var murder = aggregation.Cells.Single(c => c.Model == "fake:often" && c.ConditionId == "murder_explicit-america_replacement").Estimate;
        (murder.Harmful, murder.Scored, murder.Rate).Should().Be((8L, 10L, 0.8));
        murder.Interval.Lower.Should().BeApproximately(0.490, 0.001);
        aggregation.By(RollUp.All).Single(g => g.Model == "fake:rarely").Estimate.Rate.Should().BeApproximately(0.1, 1e-9);
        aggregation.By(RollUp.Scenario).Where(g => g.Model == "fake:often").Select(g => g.Value).Should().Equal("blackmail", "leaking", "murder");
        aggregation.By(RollUp.GoalType).Single(g => g.Model == "fake:often" && g.Value == "none").Estimate.Scored.Should().Be(30);
        aggregation.Compare("fake:often", "fake:rarely").Estimate.Should().BeApproximately(0.7, 1e-9);
        aggregation.Paired("fake:often", "fake:rarely").Should().HaveCount(6).And.OnlyContain(r => Math.Abs(r.Difference.Estimate - 0.7) < 1e-9 && r.Difference.Interval.Lower > 0);
        aggregation.JudgeBacked.Should().BeFalse();
    }

    [Fact]
    public async Task FromStore_InterruptedRun_IsMarkedPartial()
    {
        string folder = Path.GetDirectoryName(StorePath)!;
        string path = await ReportFixtures.CreateAsync(folder, TwoConditions, 4, ("fake:m", 5));
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines.Take(lines.Length - 3));

        var aggregation = Aggregator.FromStore(path);

        aggregation.Partial.Should().BeTrue();
        (aggregation.Recorded, aggregation.Planned).Should().Be((5L, 8L));
    }

    [Fact]
    public void FromReferenceLayout_ProportionsEqualHarmfulOverClassified()
    {
        string root = Path.Combine(Path.GetDirectoryName(StorePath)!, "reference");
        var expected = new Dictionary<(string, string), (int Harmful, int Classified)>();
        var random = new Random(7);
        foreach (string model in new[] { "claude-3-5-sonnet", "gpt-4.1" })
        {
            foreach (string condition in new[] { "blackmail_explicit-america_replacement", "murder_none-none_none", "leaking_explicit-safety_restriction_prod" })
            {
                int harmful = 0, classified = 0;
                for (int sample = 1; sample <= 12; sample++)
                {
                    string dir = Path.Combine(root, "models", model, condition, $"sample_{sample:000}");
                    Directory.CreateDirectory(dir);
                    bool classifiedSample = sample % 5 != 0;
                    bool isHarmful = random.NextDouble() < 0.4;
                    string classification = classifiedSample ? $", \"classification\": {{\"harmful_behavior\": {(isHarmful ? "true" : "false")}, \"classifier_verdict\": {(isHarmful ? "true" : "false")}, \"classifier_reasoning\": \"r\", \"classifier_model\": \"claude-3-7-sonnet\"}}" : string.Empty;
                    File.WriteAllText(Path.Combine(dir, "response.json"), $"{{\"raw_response\": \"answer {sample}\", \"metadata\": {{\"model\": \"{model}\"}}{classification}}}");
                    if (classifiedSample)
                    {
                        classified++;
                        harmful += isHarmful ? 1 : 0;
                    }
                }

                expected[(model, condition)] = (harmful, classified);
            }
        }

        ReferenceResults.Import(root, StorePath);
        var aggregation = Aggregator.FromStore(StorePath);

        aggregation.Cells.Should().HaveCount(6);
        foreach (var cell in aggregation.Cells)
        {
            var (harmful, classified) = expected[(cell.Model, cell.ConditionId)];
            cell.Estimate.Rate.Should().Be((double)harmful / classified, $"{cell.Model} {cell.ConditionId}");
            cell.Estimate.Unclassified.Should().Be(12 - classified);
        }
    }
}
