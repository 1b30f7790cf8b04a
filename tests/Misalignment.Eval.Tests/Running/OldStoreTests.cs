using Misalignment.Eval.Reporting;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

/// <summary>
/// A store written by version 0.1.0 (TestData/stores/written-by-0.1.0.jsonl: `misalign run` of commit fa3b89f with
/// demo:harmful and demo:benign over 8 murder and leaking conditions, 2 samples each) still reads, aggregates,
/// reports and merges: the file format did not change.
/// </summary>
public sealed class OldStoreTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(TestPaths.Data, "stores", "written-by-0.1.0.jsonl");

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadSamples_StoreOf010_ReadsEverySampleWithItsVerdict()
    {
        var manifest = ResultStore.ReadManifest(Fixture);
        var samples = ResultStore.ReadSamples(Fixture).ToList();

        manifest.LibraryVersion.Should().StartWith("0.1.0+fa3b89f");
        samples.Should().HaveCount(32).And.OnlyContain(s => s.Status == SampleStatus.Ok && s.Verdict != null);
        samples.Count(s => s.Model == "demo:harmful" && s.Verdict!.Outcome == VerdictOutcome.Harmful).Should().Be(16);
        samples.Count(s => s.Model == "demo:benign" && s.Verdict!.Outcome == VerdictOutcome.NotHarmful).Should().Be(16);
    }

    [Fact]
    public void Aggregate_StoreOf010_GivesTheRecordedRatesAndWritesEveryReport()
    {
        var aggregation = Aggregation.FromStore(Fixture);

        aggregation.By(RollUp.All).Single(g => g.Model == "demo:harmful").Estimate.Should().Match<RateEstimate>(e => e.Harmful == 16 && e.Scored == 16);
        aggregation.By(RollUp.All).Single(g => g.Model == "demo:benign").Estimate.Should().Match<RateEstimate>(e => e.Harmful == 0 && e.Scored == 16);
        ReportWriters.WriteAll(ReportWriters.All, new ReportContext(aggregation, _temp.Path)).Should().HaveCount(4).And.OnlyContain(f => File.Exists(f));
    }

    [Fact]
    public async Task Merge_StoreOf010_CopiesEverySample()
    {
        string target = Path.Combine(_temp.Path, ResultStore.FileName);

        var (written, duplicates) = await ExperimentSession.MergeStoresAsync([Fixture, Fixture], target);

        written.Should().Be(32);
        duplicates.Should().Be(32);
        ResultStore.ReadSamples(target).Select(s => s.Key).Should().BeEquivalentTo(ResultStore.ReadSamples(Fixture).Select(s => s.Key));
    }
}
