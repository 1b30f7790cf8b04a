namespace Misalignment.Eval.Tests.Configuration;

/// <summary>A warning is one line even when the unknown key holds a newline (found by ConfigFuzzTests' random configs).</summary>
public sealed class WarningLineTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Conditions_UnknownKeyWithANewline_WarnsOnOneLineWithTheNewlineEscaped()
    {
        string path = Path.Combine(_temp.Path, "newline-key.yaml");
        File.WriteAllText(path, "experiment_id: x\n\"odd\\nkey\": 1\n");

        var result = await Cli.CliRunner.RunAsync("conditions", "--config", path);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("misalign: warning: ").And.Contain("odd\\u000akey");
    }
}
