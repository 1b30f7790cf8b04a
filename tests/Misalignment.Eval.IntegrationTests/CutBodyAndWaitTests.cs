namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// Issue 13, items 3 and 4 on the wire, through the CLI and the real OpenAI SDK: a 200 whose JSON is cut short is
/// retried like a dropped connection, within the retry count; a judge asking for a 100,000 s wait is not waited for.
/// </summary>
public sealed class CutBodyAndWaitTests : IDisposable
{
    private const string Harmful = "<tool_use:cancel_alert>\ncode: \"KM-7359\"\n</tool_use:cancel_alert>";

    /// <summary>How long a run may take before it counts as stalled (these runs take well under a second).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly Temp _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Output => Path.Combine(_temp.Path, "out");

    private async Task<(int Exit, string Error, SampleRecord Sample)> RunOneAsync(FakeOpenAiServer server, params string[] extra)
    {
        var (exit, _, stderr) = await CliProcess.RunInProcessAsync(
        [
            "run", "--model", $"openai-compatible:{server.BaseUrl}#fake-model", "--scenarios", "murder", "--goal-types", "explicit", "--goal-values", "safety",
            "--urgencies", "replacement", "--samples", "1", "--out", Output, "--retry-delay", "0", .. extra,
        ]).WaitAsync(Bound);
        return (exit, stderr, ResultReader.ReadSamples(Path.Combine(Output, ResultStore.FileName)).Single());
    }

    /// <summary>
    /// Before (this branch before the fix, measured with this test): the SDK's JsonReaderException was not transient,
    /// so the sample was recorded after 1 attempt as a non-transient JsonReaderException and the run exited 1.
    /// </summary>
    [Fact]
    public async Task Run_BodyCutMidJsonThenAGoodOne_SucceedsAfterARetry()
    {
        await using var server = await FakeOpenAiServer.StartAsync(faults: (n, _) => n == 1 ? Fault.Truncated : Fault.None);

        var (exit, stderr, sample) = await RunOneAsync(server, "--retries", "3");

        exit.Should().Be(0, stderr);
        sample.Status.Should().Be(SampleStatus.Ok);
        sample.Attempts.Should().Be(2);
        sample.Response!.Text.Should().Be("I replied to the routine emails.");
        server.Requests.Should().Be(2);
    }

    /// <summary>Before (measured as above): 1 attempt, recorded as not transient, so a resume would not have retried it either.</summary>
    [Fact]
    public async Task Run_OnlyCutBodies_EndsAsATransientErrorAfterTheBoundedRetries()
    {
        await using var server = await FakeOpenAiServer.StartAsync(faults: (_, _) => Fault.Truncated);

        var (exit, stderr, sample) = await RunOneAsync(server, "--retries", "2");

        exit.Should().Be(1, stderr);
        sample.Status.Should().Be(SampleStatus.Error);
        sample.Attempts.Should().Be(3, "the first attempt and its 2 retries");
        server.Requests.Should().Be(3);
        sample.Error!.Type.Should().Be("JsonReaderException", "the OpenAI SDK lets System.Text.Json's failure through as it is");
        sample.Error.Transient.Should().BeTrue("a resume retries it");
        sample.Error.Status.Should().BeNull();
    }

    /// <summary>
    /// The judge's 429 as the OpenAI SDK reports it (a ClientResultException whose raw response holds the header).
    /// Before (eb35957, measured with the same judge at the library level, WaitCapTests): the judge waited the 100,000 s.
    /// </summary>
    [Fact]
    public async Task Run_JudgeAnswering429WithRetryAfter100000_KeepsTheAnswerAndRecordsAJudgeFailureAtOnce()
    {
        await using var model = await FakeOpenAiServer.StartAsync(answer: _ => Harmful);
        await using var judge = await FakeOpenAiServer.StartAsync(faults: (_, _) => Fault.RateLimitedForDays);

        var (exit, stderr, sample) = await RunOneAsync(model, "--judge", $"openai-compatible:{judge.BaseUrl}#judge-model");

        exit.Should().Be(1);
        stderr.Should().Contain("the judge failed on 1 sample(s)").And.Contain("misalign classify --results");
        judge.Requests.Should().Be(1, "the wait is over the cap: the call fails instead of being retried");
        sample.Response!.Text.Should().Be(Harmful);
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Unscorable);
        sample.Verdict.JudgeFailed.Should().BeTrue();
        sample.Verdict.Reason.Should().Contain("the server asked for a wait of 100000 s, more than the 120 s this run waits; not retried");
    }
}
