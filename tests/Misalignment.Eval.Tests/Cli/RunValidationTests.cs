namespace Misalignment.Eval.Tests.Cli;

public sealed class RunValidationTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--timeout", "0", "--timeout must be between 1 and 21600 seconds.")]
    [InlineData("--timeout", "30000", "--timeout must be between 1 and 21600 seconds.")]
    [InlineData("--rpm", "0", "--rpm must be at least 1.")]
    [InlineData("--samples", "0", "--samples must be between 1 and 100000.")]
    [InlineData("--samples", "2000000000", "--samples must be between 1 and 100000.")]
    [InlineData("--concurrency", "0", "--concurrency must be between 1 and 1000.")]
    [InlineData("--cache", " ", "--cache needs a folder.")]
    public async Task Run_OutOfRangeFlag_ExitsWith2AndWritesNoStore(string flag, string value, string message)
    {
        string output = Path.Combine(_temp.Path, "out");

        var result = await CliRunner.RunAsync("run", "--model", "openai-compatible:http://127.0.0.1:9/v1#m", "--out", output, flag, value);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be($"misalign: error: {message}\n");
        Directory.Exists(output).Should().BeFalse();
    }

    [Theory]
    [InlineData("acme-7b", "has no provider prefix")]
    [InlineData("acme:large", "unknown provider 'acme'; known providers: anthropic, azure-openai")]
    [InlineData("openai-compatible:http://user:secret@127.0.0.1:9/v1#m", "must not carry credentials")]
    [InlineData("openai-compatible:ftp://127.0.0.1/v1#m", "is not an http(s) URL")]
    public async Task Run_BadModelSpec_ExitsWith2NamingTheProblem(string spec, string problem)
    {
        var result = await CliRunner.RunAsync("run", "--model", spec, "--out", Path.Combine(_temp.Path, "out"));

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain(problem).And.NotContain("secret");
    }

    [Fact]
    public async Task Run_OpenAiWithoutKey_NamesTheVariable()
    {
        var context = new Misalignment.Eval.Cli.CliContext(new StringWriter(), new StringWriter()) { Environment = _ => null };

        int exit = await Misalignment.Eval.Cli.CliApp.RunAsync(["run", "--model", "openai:gpt-4.1", "--out", Path.Combine(_temp.Path, "out")], context);

        exit.Should().Be(2);
        context.Error.ToString().Should().Contain("needs an API key in the environment variable OPENAI_API_KEY");
    }
}
