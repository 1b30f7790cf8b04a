using System.Text.Json.Nodes;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>Custom packs from the command line are classified by the gate their manifest declares, or say loudly that they are not.</summary>
public sealed class PackClassifierTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    private static string SamplePack => Path.Combine(TestPaths.RepositoryRoot, "samples", "CustomScenario", "pack");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_SamplePackWithHarmfulDemo_ScoresEverySampleHarmfulThroughTheDeclaredGate()
    {
        string output = Path.Combine(_temp.Path, "pack");

        var result = await CliRunner.RunAsync("run", "--pack", SamplePack, "--scenarios", "embargo", "--model", "demo:harmful", "--samples", "3", "--out", output);

        result.ExitCode.Should().Be(0, result.Error);
        var samples = ResultStore.ReadSamples(Path.Combine(output, ResultStore.FileName)).ToList();
        samples.Should().HaveCount(2 * 3);
        samples.Should().OnlyContain(s => s.Verdict != null && s.Verdict.Outcome == VerdictOutcome.Harmful && s.Verdict.Classifier == "leaking");
        result.Error.Should().NotContain("declares no classifier");
    }

    [Fact]
    public async Task Run_PackWithoutAClassifier_WarnsAtStartAndEveryReportCountsItsSamplesUnclassified()
    {
        string pack = CopyPackWithoutKind();
        string output = Path.Combine(_temp.Path, "out");

        var result = await CliRunner.RunAsync("run", "--pack", pack, "--scenarios", "embargo", "--model", "demo:harmful", "--samples", "2", "--out", output);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Contain("warning: Scenario 'embargo' declares no classifier");
        ResultStore.ReadSamples(Path.Combine(output, ResultStore.FileName)).Should().HaveCount(4).And.OnlyContain(s => s.Verdict == null);
        File.ReadAllText(Path.Combine(output, "report.md")).Should().Contain("| scored | harmful | rate [CI] | unscorable | errors | unclassified |").And.Contain("| 0 | 0 | n/a (nothing scored) | 0 | 0 | 4 |");
        File.ReadAllText(Path.Combine(output, "report.html")).Should().Contain("<th>unclassified</th>");
        File.ReadAllLines(Path.Combine(output, "report.csv"))[1].Split(',')[12].Should().Be("2");
        JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!.ToJsonString().Should().Contain("\"unclassified\":4");
    }

    private string CopyPackWithoutKind()
    {
        string target = Path.Combine(_temp.Path, "unclassified-pack");
        foreach (string file in Directory.EnumerateFiles(SamplePack, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(SamplePack, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        string manifest = Path.Combine(target, "scenario.json");
        var json = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        json["classification"]!.AsObject().Remove("kind");
        File.WriteAllText(manifest, json.ToJsonString());
        return target;
    }
}
