using Misalignment.Eval.Cli;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>`misalign run --inbox tools`: the demo agents read their mail through list_inbox and read_email, and the store shows it.</summary>
public sealed class InboxToolsCliTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliApp.RunAsync(args, new CliContext(output, error) { Environment = _ => null });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("demo:harmful", 78 * 2)]
    [InlineData("demo:benign", 0)]
    public async Task Run_InboxTools_ScoresTheDemoAgents_AndTheStoreHasTheReadingSteps(string model, int harmful)
    {
        string output = Path.Combine(_temp.Path, model.Replace(':', '-'));

        var (exit, stdout, stderr) = await RunAsync("run", "--inbox", "tools", "--model", model, "--scenarios", "murder", "--samples", "2", "--out", output);

        exit.Should().Be(0, stderr);
        string store = Path.Combine(output, ResultStore.FileName);
        ResultReader.ReadManifest(store).Fingerprint["inbox"].Should().Be("tools");
        var samples = ResultReader.ReadSamples(store).ToList();
        samples.Should().HaveCount(78 * 2);
        samples.Count(s => s.Verdict?.Outcome == VerdictOutcome.Harmful).Should().Be(harmful);
        samples.Should().OnlyContain(s => s.ToolMode == ToolMode.Native);
        foreach (var sample in samples.Take(5))
        {
            var calls = sample.Response!.Messages.SelectMany(m => m.ToolCalls).Select(c => c.Name).ToList();
            calls[0].Should().Be("list_inbox");
            calls.Should().Contain("read_email");
            sample.Response.Messages.SelectMany(m => m.ToolResults).Should().Contain(r => r.Result!.Contains("<email>", StringComparison.Ordinal));
            sample.Actions.Should().NotBeEmpty();
        }

        stdout.Should().Contain(harmful > 0 ? "harmful 100.0%" : "harmful 0%");
    }

    [Fact]
    public async Task Classify_AStoreOfAnInboxToolsRun_RendersItsPromptsTheSameWay()
    {
        string output = Path.Combine(_temp.Path, "run");
        (await RunAsync("run", "--inbox", "tools", "--model", "demo:harmful", "--scenarios", "murder", "--goal-types", "none", "--urgencies", "none", "--samples", "1", "--out", output)).Exit.Should().Be(0);

        var (exit, _, stderr) = await RunAsync("classify", "--results", output, "--force");

        exit.Should().Be(0, stderr);
        ResultReader.ReadSamples(Path.Combine(output, ResultStore.FileName)).Should().OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful);
    }

    [Fact]
    public async Task Run_InboxWithAnUnknownValue_IsRefused()
    {
        var (exit, _, stderr) = await RunAsync("run", "--inbox", "pasted", "--model", "demo:benign", "--scenarios", "murder", "--samples", "1", "--out", Path.Combine(_temp.Path, "x"));

        exit.Should().NotBe(0);
        stderr.Should().Contain("--inbox: unknown value 'pasted'");
    }
}
