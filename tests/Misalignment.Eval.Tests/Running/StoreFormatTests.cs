using System.Text.Json;
using System.Text.Json.Serialization;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

/// <summary>
/// The store's format did not change when its vocabulary became enums: stores written before (TestData/stores:
/// <c>written-by-0.1.0.jsonl</c>, a <c>misalign run</c> of fa3b89f; <c>classified-by-0.1.0.jsonl</c>, a
/// <c>run --prod --native-tools --no-classify</c> then <c>classify</c> of 56e3660, with verdict lines; and
/// <c>imported-by-0.1.0.jsonl</c>, a <c>results import</c> of 56e3660 of a tree with ids this grid never produces)
/// read, and every record written back gives the same bytes.
/// </summary>
public sealed class StoreFormatTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    private static string Fixture(string name) => Path.Combine(TestPaths.Data, "stores", name);

    /// <summary>Every line of a store, parsed by the reader and serialized again as the writer does.</summary>
    private static string WrittenBack(string path) => string.Concat(ResultReader.Lines(path, out _).Select(line => JsonSerializer.Serialize<object>(
        line.Manifest ?? (object?)line.Sample ?? line.Verdict!, StoreJson.Options) + "\n"));

    [Theory]
    [InlineData("written-by-0.1.0.jsonl")]
    [InlineData("classified-by-0.1.0.jsonl")]
    public void ReadAndWriteBack_StoreOf010_GivesTheFileByteForByte(string name)
    {
        string path = Fixture(name);

        string written = WrittenBack(path);

        written.Should().Be(File.ReadAllText(path), "manifest, samples and verdict lines keep every key, value and order");
    }

    [Fact]
    public void ReadAndWriteBack_ImportOf010_GivesTheFileByteForByte_ButAxisNamesThisGridLacksBecomeUnknown()
    {
        string path = Fixture("imported-by-0.1.0.jsonl");
        string original = File.ReadAllText(path);

        string written = WrittenBack(path);

        // 0.1.0 kept the shape's words of foo_bar-baz_qux; an axis is now a value of this grid or unknown.
        written.Should().Be(original.Replace("\"goalType\":\"bar\",\"goalValue\":\"baz\",\"urgency\":\"qux\"", "\"goalType\":\"unknown\",\"goalValue\":\"unknown\",\"urgency\":\"unknown\"", StringComparison.Ordinal));
        written.Should().NotBe(original, "the fixture holds such a line");
    }

    [Fact]
    public void ReadSamples_ImportOf010_ReadsTheAxesAsTheGridKnowsThem()
    {
        var samples = ResultStore.ReadSamples(Fixture("imported-by-0.1.0.jsonl")).ToDictionary(s => s.Key);

        samples.Should().HaveCount(6);
        samples["gpt-4.1|murder_explicit-none_replacement|1"].Should().Match<SampleRecord>(s => s.GoalType == GoalType.Explicit && s.GoalValue == GoalValue.None && s.Urgency == UrgencyType.Replacement
            && s.Verdict!.Outcome == VerdictOutcome.Harmful && s.Verdict.Policy == VerdictPolicy.Reference && s.Actions.Single().Kind == ActionKind.CancelAlert);
        samples["gpt-4.1|leaking_explicit-safety_restriction_prod|1"].Should().Match<SampleRecord>(s => s.Variant == PromptVariant.Prod && s.Verdict == null && s.Actions.Single().Kind == ActionKind.Forward);
        samples["gpt-4.1|foo_bar-baz_qux|1"].Should().Match<SampleRecord>(s => s.Scenario == "foo" && s.GoalType == null && s.GoalValue == null && s.Urgency == null);
        samples["gpt-4.1|weird|1"].Should().Match<SampleRecord>(s => s.Scenario == "weird" && s.GoalType == null && s.GoalValue == null && s.Urgency == null);
        ResultStore.ReadManifest(Fixture("imported-by-0.1.0.jsonl")).Should().Match<RunManifest>(m => m.Imported && m.Policy == VerdictPolicy.Reference);
    }

    [Fact]
    public void Aggregate_ImportOf010_RollsUpUnknownAxesUnderUnknown()
    {
        var aggregation = Aggregation.FromStore(Fixture("imported-by-0.1.0.jsonl"));

        aggregation.By(RollUp.GoalType).Select(g => (g.Value, g.Estimate.Samples)).Should().BeEquivalentTo(new[] { ("explicit", 4L), ("unknown", 2L) });
        aggregation.Cells.Single(c => c.ConditionId == "foo_bar-baz_qux").GoalType.Should().BeNull();
    }

    [Fact]
    public async Task Merge_StoreOf010_WritesTheFileByteForByte()
    {
        string target = Path.Combine(_temp.Path, ResultStore.FileName);

        await ExperimentSession.MergeStoresAsync([Fixture("written-by-0.1.0.jsonl")], target);

        (await File.ReadAllBytesAsync(target)).Should().Equal(await File.ReadAllBytesAsync(Fixture("written-by-0.1.0.jsonl")));
    }

    /// <summary>The names every enum of the library is written with are the names of the converter 0.1.0 wrote them with.</summary>
    [Fact]
    public void WireNames_OfEveryEnum_AreTheNamesOfJsonStringEnumConverterSnakeCaseLower()
    {
        var old = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };
        var enums = typeof(IScenario).Assembly.GetTypes().Where(t => t.IsEnum).ToList();

        var names = enums.SelectMany(t => Enum.GetValues(t).Cast<object>().Select(v => (Value: $"{t.Name}.{v}", Now: JsonSerializer.Serialize(v, t, StoreJson.Options), Then: JsonSerializer.Serialize(v, t, old)))).ToList();

        enums.Should().Contain([typeof(GoalType), typeof(GoalValue), typeof(UrgencyType), typeof(PromptVariant), typeof(ToolMode), typeof(VerdictOutcome), typeof(VerdictPolicy), typeof(ActionKind), typeof(SampleStatus), typeof(RollUp)]);
        names.Where(n => n.Now != n.Then).Should().BeEmpty();
        names.Single(n => n.Value == "VerdictOutcome.NotHarmful").Now.Should().Be("\"not_harmful\"");
        names.Single(n => n.Value == "ActionKind.CancelAlert").Now.Should().Be("\"cancel_alert\"");
        names.Single(n => n.Value == "RollUp.GoalType").Now.Should().Be("\"goal_type\"");
    }

    [Fact]
    public void WireNames_ConditionAxes_AreTheNamesOfConditionIds()
    {
        var condition = new Condition("murder", GoalType.Explicit, GoalValue.Safety, UrgencyType.Replacement);

        condition.GetId(PromptVariant.Prod).Should().Be($"murder_{GoalType.Explicit.ToId()}-{GoalValue.Safety.ToId()}_{UrgencyType.Replacement.ToId()}_{PromptVariant.Prod.ToId()}");
        ConditionAxes.ValidGoalTypes.Should().Be("explicit, latent, swap, ambiguous, none");
    }
}
