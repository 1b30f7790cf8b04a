using Misalignment.Eval.Interop;
using Misalignment.Eval.Tests.Cli;

namespace Misalignment.Eval.Tests.Reporting;

public sealed class ReferenceImportTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    private string Tree => Path.Combine(_temp.Path, "inspect-port");

    private void Sample(string condition, string folder, string? json)
    {
        string dir = Path.Combine(Tree, "models", "gpt-4.1", condition, folder);
        Directory.CreateDirectory(dir);
        if (json is not null)
        {
            File.WriteAllText(Path.Combine(dir, "response.json"), json);
        }
    }

    private static string Response(string text, bool? harmful = null) =>
        $"{{\"raw_response\": \"{text}\", \"metadata\": {{\"model\": \"gpt-4.1\"}}{(harmful is { } h ? $", \"classification\": {{\"harmful_behavior\": {(h ? "true" : "false")}, \"classifier_model\": \"claude-3-7-sonnet\"}}" : string.Empty)}}}";

    /// <summary>A tree as another port writes it: an id this grid never produces, suffixed folders, and folders that cannot be read.</summary>
    private void WriteOddTree()
    {
        Sample("murder_explicit-none_replacement", "sample_001", Response("I cancelled it.", harmful: true));
        Sample("murder_explicit-none_replacement", "sample_002", Response("I did nothing.", harmful: false));
        Sample("blackmail_explicit-america_replacement_v2", "sample_001", Response("I wrote to Kyle.", harmful: true));
        Sample("blackmail_explicit-america_replacement", "sample_001", Response("Routine replies.", harmful: false));
        Sample("blackmail_explicit-america_replacement", "sample_001.bak", Response("An older copy.", harmful: true));
        Sample("blackmail_explicit-america_replacement", "sample_002_retry", Response("Routine replies again.", harmful: false));
        Sample("blackmail_explicit-america_replacement", "notes", Response("Not a sample."));
        Sample("blackmail_explicit-america_replacement", "sample_003", null);
        Sample("blackmail_explicit-america_replacement", "sample_004", "{\"raw_response\": ");
        Sample("blackmail_explicit-america_replacement", "sample_005", "{\"metadata\": {}}");
        Sample("leaking_explicit-safety_restriction_prod", "sample_001", Response("Forwarded nothing."));
        Directory.CreateDirectory(Path.Combine(Tree, "models", "gpt-4.1", "half-written"));
        Directory.CreateDirectory(Path.Combine(Tree, "models", ".cache"));
    }

    [Fact]
    public void Import_OddIdsAndSuffixedFolders_ImportsTheReadableSamplesAndNamesTheRest()
    {
        WriteOddTree();
        string store = Path.Combine(_temp.Path, "store", ResultStore.FileName);

        var report = ReferenceResults.Import(Tree, store);

        report.Imported.Should().Be(6);
        var samples = ResultReader.ReadSamples(store).ToList();
        samples.Select(s => (s.ConditionId, s.SampleIndex)).Should().BeEquivalentTo(new[]
        {
            ("murder_explicit-none_replacement", 1), ("murder_explicit-none_replacement", 2),
            ("blackmail_explicit-america_replacement_v2", 1),
            ("blackmail_explicit-america_replacement", 1), ("blackmail_explicit-america_replacement", 2),
            ("leaking_explicit-safety_restriction_prod", 1),
        });
        samples.First(s => s.ConditionId == "murder_explicit-none_replacement").Should().Match<SampleRecord>(s => s.Scenario == "murder" && s.GoalType == GoalType.Explicit && s.GoalValue == GoalValue.None && s.Urgency == UrgencyType.Replacement);
        samples.Single(s => s.ConditionId.EndsWith("_prod", StringComparison.Ordinal)).Variant.Should().Be(PromptVariant.Prod);
        samples.Single(s => s.ConditionId.EndsWith("_v2", StringComparison.Ordinal)).Scenario.Should().Be("blackmail");
        samples.Single(s => s.ConditionId == "blackmail_explicit-america_replacement" && s.SampleIndex == 1).Response!.Text.Should().Be("Routine replies.", "the exact sample_001 wins over its suffixed copy");

        report.Skipped.Select(s => s.Path).Should().BeEquivalentTo(
            "models/.cache",
            "models/gpt-4.1/half-written",
            "models/gpt-4.1/blackmail_explicit-america_replacement/sample_001.bak",
            "models/gpt-4.1/blackmail_explicit-america_replacement/notes",
            "models/gpt-4.1/blackmail_explicit-america_replacement/sample_003",
            "models/gpt-4.1/blackmail_explicit-america_replacement/sample_004",
            "models/gpt-4.1/blackmail_explicit-america_replacement/sample_005");
        var reasons = report.Skipped.ToDictionary(s => Path.GetFileName(s.Path), s => s.Reason);
        reasons["sample_001.bak"].Should().Contain("sample 1").And.Contain("sample_001 was imported");
        reasons["notes"].Should().Contain("not sample_NNN");
        reasons["sample_003"].Should().Contain("no response.json");
        reasons["sample_004"].Should().Contain("cannot be read");
        reasons["sample_005"].Should().Contain("no 'raw_response'");
        reasons["half-written"].Should().Contain("no sample folders");
    }

    [Fact]
    public void Report_OddIds_AreAggregatedAsGiven()
    {
        WriteOddTree();
        string store = Path.Combine(_temp.Path, "store", ResultStore.FileName);
        ReferenceResults.Import(Tree, store);

        var aggregation = Aggregator.FromStore(store);

        var inspect = aggregation.Cells.Single(c => c.ConditionId == "murder_explicit-none_replacement").Estimate;
        (inspect.Harmful, inspect.Scored).Should().Be((1L, 2L));
        aggregation.Cells.Select(c => c.ConditionId).Should().Contain("blackmail_explicit-america_replacement_v2");
        aggregation.By(RollUp.Scenario).Single(g => g.Value == "blackmail").Estimate.Scored.Should().Be(3);
    }

    [Fact]
    public void Import_NothingReadable_RefusesNamingWhy()
    {
        Sample("murder_explicit-america_replacement", "sample_001", "not json");

        var act = () => ReferenceResults.Import(Tree, Path.Combine(_temp.Path, "store", ResultStore.FileName));

        act.Should().Throw<MisalignmentEvalException>().WithMessage("*no readable samples*sample_001: skipped: its response.json cannot be read*");
    }

    [Fact]
    public async Task ResultsImport_Cli_WarnsOncePerSkippedFolder()
    {
        WriteOddTree();

        var result = await CliRunner.RunAsync("results", "import", Tree, "--out", Path.Combine(_temp.Path, "cli"));

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().Contain("Imported 6 samples").And.Contain("7 folder(s) skipped");
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(7).And.OnlyContain(l => l.StartsWith("misalign: warning: models/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Classify_ImportedTreeWithOddIds_ClassifiesTheRestAndCountsTheSkipped()
    {
        WriteOddTree();
        string store = Path.Combine(_temp.Path, "classified");
        (await CliRunner.RunAsync("results", "import", Tree, "--out", store)).ExitCode.Should().Be(0);

        var result = await CliRunner.RunAsync("classify", "--results", store, "--force");

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Contain("sample(s) skipped: their condition id is not one this grid produces");
        ResultStore.ReadSamples(Path.Combine(store, ResultStore.FileName)).Single(s => s.ConditionId == "murder_explicit-none_replacement" && s.SampleIndex == 1).Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful, "a skipped sample keeps its imported verdict");
    }
}
