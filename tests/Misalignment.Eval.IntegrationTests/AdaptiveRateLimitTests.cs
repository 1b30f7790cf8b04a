using Xunit.Abstractions;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// <c>misalign run</c> with no configured limit, at concurrency 8, against a server on 127.0.0.1 that announces its rate
/// limits in headers and answers 429 over them: the adaptive limiter keeps every call inside the limits. These tests run
/// on the real clock (so does the server) and assert no durations.
/// </summary>
public sealed class AdaptiveRateLimitTests(ITestOutputHelper log) : IDisposable
{
    private const int Samples = 30;
    private const int MaxTokens = 300;
    private readonly Temp _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OpenAiProtocol_ServerEnforcingFiveRequestsASecond_SeesNo429AndEverySampleIsRecordedOnce()
    {
        // Five requests a second bind; the token limit (about ten calls' worth) is announced and enforced too.
        await using var server = await RateLimitedServer.StartAsync(LimitProtocol.OpenAi, requestLimit: 5, tokenLimit: 35_000);

        var (exit, stderr, store) = await RunAsync($"openai-compatible:{server.Root}/v1#paced-model", []);

        log.WriteLine($"accepted+rejected per window: {server.Describe()}");
        exit.Should().Be(0, stderr);
        server.Rejected.Should().Be(0, "the limiter paced every call to the announced limits (accepted+rejected per window: {0})", server.Describe());
        server.Accepted.Should().Be(Samples, "no call was sent twice ({0})", server.Describe());
        AssertEverySampleOnce(store);
        LastWaits(stderr).Should().BeGreaterThan(0, "the limiter's waits are counted in the progress display");
    }

    [Fact]
    public async Task OpenAiProtocol_WithNoAdaptiveLimits_TheSameServerAnswers429()
    {
        // The control: without the limiter, eight workers overrun five requests a second at once (measured: 36 and 37 429s
        // with the default retries); with no retries each 429 is a failed sample, so the run is short.
        await using var server = await RateLimitedServer.StartAsync(LimitProtocol.OpenAi, requestLimit: 5, tokenLimit: 35_000);

        var (_, stderr, store) = await RunAsync($"openai-compatible:{server.Root}/v1#paced-model", [], "--no-adaptive-limits", "--retries", "0");

        log.WriteLine($"accepted+rejected per window: {server.Describe()}");
        server.Rejected.Should().BeGreaterThan(0, "the server enforces what it announces ({0})", stderr);
        ResultReader.ReadSamples(store).Count(s => s.Status != SampleStatus.Ok).Should().Be(server.Rejected, "each 429 is one failed sample, recorded");
    }

    [Fact]
    public async Task Anthropic_ServerEnforcingOutputTokensAndRequests_SeesNo429AndEverySampleIsRecordedOnce()
    {
        // Five calls' output budgets (300 each) a second bind, under six requests a second; input tokens are limited too.
        await using var server = await RateLimitedServer.StartAsync(LimitProtocol.Anthropic, requestLimit: 6, tokenLimit: 1_000_000, outputTokenLimit: (5 * MaxTokens) + 150);

        var (exit, stderr, store) = await RunAsync("anthropic:claude-paced", new() { ["ANTHROPIC_API_KEY"] = "loopback-key", ["ANTHROPIC_BASE_URL"] = server.Root });

        log.WriteLine($"accepted+rejected per window: {server.Describe()}");
        exit.Should().Be(0, stderr);
        server.Rejected.Should().Be(0, "the limiter paced every call to the announced limits (accepted+rejected per window: {0})", server.Describe());
        server.Accepted.Should().Be(Samples, "no call was sent twice ({0})", server.Describe());
        AssertEverySampleOnce(store);
    }

    private async Task<(int Exit, string Error, string Store)> RunAsync(string model, Dictionary<string, string> environment, params string[] extra)
    {
        string output = Path.Combine(_temp.Path, Guid.NewGuid().ToString("N"));
        var (exit, _, stderr) = await CliProcess.RunInProcessAsync(environment,
        [
            "run", "--model", model, "--scenarios", "murder", "--goal-types", "explicit", "--goal-values", "safety", "--urgencies", "replacement",
            "--samples", $"{Samples}", "--concurrency", "8", "--max-tokens", $"{MaxTokens}", "--out", output, .. extra,
        ]);
        return (exit, stderr, Path.Combine(output, ResultStore.FileName));
    }

    private static void AssertEverySampleOnce(string store)
    {
        var samples = ResultReader.ReadSamples(store).ToList();
        samples.Should().HaveCount(Samples);
        samples.Select(s => s.SampleIndex).Order().Should().Equal(Enumerable.Range(1, Samples), "every sample is recorded exactly once");
        samples.Should().OnlyContain(s => s.Status == SampleStatus.Ok);
    }

    /// <summary>The rate-limit waits of the last progress line ("..., rate-limit waits N").</summary>
    private static long LastWaits(string stderr)
    {
        string line = stderr.Split('\n').Last(l => l.Contains("rate-limit waits ", StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf("rate-limit waits ", StringComparison.Ordinal) + "rate-limit waits ".Length)..].Split(' ', ',')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
