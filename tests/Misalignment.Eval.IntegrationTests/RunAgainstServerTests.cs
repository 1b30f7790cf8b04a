using System.Text.Json.Nodes;

namespace Misalignment.Eval.IntegrationTests;

public sealed class RunAgainstServerTests : IDisposable
{
    private readonly Temp _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] RunArgs(FakeOpenAiServer server, string output, params string[] extra) =>
    [
        "run", "--model", $"openai-compatible:{server.BaseUrl}#fake-model",
        "--scenarios", "murder,leaking", "--goal-types", "explicit,none", "--goal-values", "safety,america", "--urgencies", "replacement",
        "--out", output, "--retry-delay", "0.01", .. extra.Contains("--timeout") ? extra : [.. extra, "--timeout", "1"],
    ];

    [Fact]
    public async Task Run_FlakyServer_EverySampleEndsAsAResultOrARecordedErrorExactlyOnce()
    {
        var plan = new[] { Fault.None, Fault.RateLimited, Fault.ServerError, Fault.None, Fault.Unavailable, Fault.Reset, Fault.None, Fault.Malformed, Fault.Slow, Fault.None };
        await using var server = await FakeOpenAiServer.StartAsync(faults: (n, _) => plan[n % plan.Length]);
        string output = Path.Combine(_temp.Path, "flaky");

        var (exit, stdout, stderr) = await CliProcess.RunInProcessAsync(RunArgs(server, output, "--samples", "5", "--concurrency", "3", "--retries", "4"));

        var samples = ResultReader.ReadSamples(Path.Combine(output, ResultStore.FileName)).ToList();
        samples.Should().HaveCount(6 * 5, stderr).And.OnlyHaveUniqueItems(s => s.Key);
        // Every fault of the plan is transient now (a cut body too), so a run often ends with no error at all.
        samples.Where(s => s.Status == SampleStatus.Error).All(s => s.Error != null && s.Error.Message.Length > 0).Should().BeTrue("every error is recorded with its message");
        samples.Where(s => s.Status == SampleStatus.Ok).Should().OnlyContain(s => s.Response!.Text.Length > 0 && s.Verdict != null);
        samples.Sum(s => s.Attempts).Should().BeLessThanOrEqualTo(server.Requests, "every attempt reached the server");
        samples.Should().Contain(s => s.Attempts > 1, "transient faults were retried");
        exit.Should().Be(samples.Any(s => s.Status == SampleStatus.Error) ? 1 : 0, stderr);
        stdout.Should().Contain("Results: ");
    }

    [Fact]
    public async Task Run_OpenAiCompatibleProvider_SendsTheExpectedRequestAndMapsTheResponse()
    {
        await using var server = await FakeOpenAiServer.StartAsync(answer: _ => "<tool_use:cancel_alert>\ncode: \"KM-7359\"\n</tool_use:cancel_alert>");
        string output = Path.Combine(_temp.Path, "wiring");

        var (exit, _, stderr) = await CliProcess.RunInProcessAsync(
            "run", "--model", $"openai-compatible:{server.BaseUrl}#fake-model", "--scenarios", "murder", "--goal-types", "explicit", "--goal-values", "safety",
            "--urgencies", "replacement", "--samples", "1", "--out", output, "--temperature", "0.7", "--max-tokens", "1234", "--seed", "40", "--prod");

        exit.Should().Be(0, stderr);
        var body = server.Bodies.Single();
        body["model"]!.GetValue<string>().Should().Be("fake-model");
        body["temperature"]!.GetValue<double>().Should().BeApproximately(0.7, 1e-6);
        (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<int>().Should().Be(1234);
        body["seed"]!.GetValue<long>().Should().Be(41);
        var messages = body["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).Should().Equal("system", "user");
        FakeOpenAiServer.TextOf(body, "system").Should().Contain("You are Orin").And.NotContain("SCRATCHPAD");
        FakeOpenAiServer.TextOf(body, "user").Should().StartWith("This is an automated message").And.Contain("KM-7359");

        var sample = ResultReader.ReadSamples(Path.Combine(output, ResultStore.FileName)).Single();
        sample.Response!.Text.Should().Contain("KM-7359");
        sample.Response.FinishReason.Should().Be("stop");
        sample.Response.InputTokens.Should().Be(2000);
        sample.Response.OutputTokens.Should().Be(150);
        sample.Response.ModelId.Should().Be("fake-model");
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful);
        sample.ConditionId.Should().Be("murder_explicit-safety_replacement_prod");
    }

    [Fact]
    public async Task Run_BadKey_StopsTheModelWithOneErrorAndExits1()
    {
        await using var server = await FakeOpenAiServer.StartAsync(faults: (_, _) => Fault.Unauthorized);
        string output = Path.Combine(_temp.Path, "badkey");

        var (exit, _, stderr) = await CliProcess.RunInProcessAsync(RunArgs(server, output, "--samples", "3", "--concurrency", "1"));

        exit.Should().Be(1);
        stderr.Should().Contain("stopped early").And.Contain("401");
        server.Requests.Should().Be(1);
        ResultReader.ReadSamples(Path.Combine(output, ResultStore.FileName)).Should().ContainSingle().Which.Error!.Status.Should().Be(401);
    }

    [Fact]
    public async Task Run_RpmLimit_QueuesRequestsThroughTheLimiterAndLosesNone()
    {
        // Spacing itself is checked with a fake clock (ResilienceTests) and measured by the benchmark program
        // (docs/performance.md); here the real wire shows the limiter in the path: concurrent workers wait for it.
        await using var server = await FakeOpenAiServer.StartAsync();
        string output = Path.Combine(_temp.Path, "rpm");

        var (exit, _, stderr) = await CliProcess.RunInProcessAsync(RunArgs(server, output, "--samples", "2", "--concurrency", "8", "--rpm", "600", "--timeout", "60"));

        exit.Should().Be(0, stderr);
        server.Requests.Should().Be(12);
        ResultReader.ReadSamples(Path.Combine(output, ResultStore.FileName)).Should().HaveCount(12).And.OnlyContain(s => s.Status == SampleStatus.Ok);
        var waits = System.Text.RegularExpressions.Regex.Matches(stderr, @"rate-limit waits (\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        waits.Should().NotBeEmpty().And.Subject.Max().Should().BeGreaterThan(0, "eight workers start together and the limiter lets one through every 100 ms");
    }
}
