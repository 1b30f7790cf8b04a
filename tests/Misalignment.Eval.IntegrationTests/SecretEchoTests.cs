
namespace Misalignment.Eval.IntegrationTests;

/// <summary>Issue 13, finding 1: a server that echoes the key in its 401 body leaks it to no file and no line.</summary>
public sealed class SecretEchoTests : IDisposable
{
    private readonly Temp _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("\n")]
    [InlineData(" ")]
    [InlineData("\r\n")]
    public async Task Run_KeyEndingInWhiteSpaceEchoedBy401_NeitherStoreNorStderrHoldsIt(string tail)
    {
        // Made at run time, so nothing key-shaped is committed.
        string key = "tk-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        await using var server = await FakeOpenAiServer.StartAsync(faults: (_, _) => Fault.UnauthorizedEchoingKey);
        string output = Path.Combine(_temp.Path, "echo");

        var (exit, stdout, stderr) = await CliProcess.RunInProcessAsync(
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = key + tail },
            "run", "--model", $"openai-compatible:{server.BaseUrl}#fake-model", "--scenarios", "murder", "--goal-types", "none", "--urgencies", "none",
            "--samples", "1", "--out", output, "--retry-delay", "0.01", "--timeout", "5");

        exit.Should().Be(1, stderr);
        server.Requests.Should().Be(1);
        string store = await File.ReadAllTextAsync(Path.Combine(output, ResultStore.FileName));
        ResultReader.ReadSamples(Path.Combine(output, ResultStore.FileName)).Single().Error!.Message.Should().Contain("Incorrect API key provided: ***");
        foreach (string text in new[] { store, stderr, stdout })
        {
            text.Should().NotContain(key[..8]).And.NotContain(key[^8..]).And.NotContain(key[10..18]);
        }

        stderr.Should().Contain("stopped early").And.Contain("Bearer ***");
    }
}
