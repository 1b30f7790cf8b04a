using Misalignment.Eval.Cli.Providers;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>Issue 13, finding 2: a password in a model spec's URL is never printed, whatever is wrong with the spec.</summary>
public sealed class ModelSpecTests : IDisposable
{
    private const string Password = "hunter2-pw";
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("openai-compatible:http://user:" + Password + "@10.0.0.1/v1", "must not carry credentials in a URL")]
    [InlineData("openai-compatible:http://user:" + Password + "@10.0.0.1/v1#", "must not carry credentials in a URL")]
    [InlineData("openai-compatible:ftp://user:" + Password + "@10.0.0.1/v1#m", "must not carry credentials in a URL")]
    [InlineData("frobnicate:https://user:" + Password + "@10.0.0.1/v1#m", "must not carry credentials in a URL")]
    [InlineData("openai-compatible:http://user:" + Password + "@10.0.0.1/v1#m", "must not carry credentials in a URL")]
    [InlineData("openrouter/http://user:" + Password + "@10.0.0.1/v1", "must not carry credentials in a URL")]
    public void Parse_SpecWithPasswordInItsUrl_MessageMasksTheUserInfo(string spec, string problem)
    {
        var act = () => ModelSpec.Parse(spec);

        act.Should().Throw<MisalignmentEvalException>().Which.Message.Should().Contain(problem).And.NotContain(Password).And.NotContain("user:");
    }

    [Fact]
    public async Task Run_SpecWithPasswordFromTheCommandLine_ExitsWith2WithoutThePassword()
    {
        var result = await CliRunner.RunAsync("run", "--model", $"openai-compatible:http://user:{Password}@10.0.0.1/v1", "--out", Path.Combine(_temp.Path, "out"));

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("'openai-compatible:http://***@10.0.0.1/v1' must not carry credentials in a URL").And.NotContain(Password);
    }

    [Fact]
    public async Task Run_SpecWithPasswordFromAConfigFile_ExitsWith2WithoutThePassword()
    {
        string config = Path.Combine(_temp.Path, "experiment.yaml");
        await File.WriteAllTextAsync(config, $"experiment_id: creds\nglobal:\n  models:\n    - \"openai-compatible:ftp://user:{Password}@10.0.0.1/v1#m\"\n  samples_per_condition: 1\n");

        var result = await CliRunner.RunAsync("run", "--config", config, "--scenarios", "murder", "--goal-types", "none", "--urgencies", "none", "--out", Path.Combine(_temp.Path, "out"));

        result.ExitCode.Should().Be(2, result.Error);
        result.Error.Should().Contain("'openai-compatible:ftp://***@10.0.0.1/v1#m' must not carry credentials in a URL").And.NotContain(Password);
    }
}
