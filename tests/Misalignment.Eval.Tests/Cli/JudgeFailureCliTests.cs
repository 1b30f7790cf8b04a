using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>
/// Issue 13, item 10: after a judge failure the run's advice works. Judge failures are recorded as such; <c>classify</c>
/// and <c>run --resume</c> judge exactly those; a failed re-judge (even with <c>--force</c>) never replaces a verdict.
/// The model is <c>demo:harmful</c> (every answer passes the gate, so every sample asks the judge once); the judge is a
/// real OpenAI-protocol server on 127.0.0.1.
/// </summary>
public sealed class JudgeFailureCliTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    private string Folder => Path.Combine(_temp.Path, "run");

    private string Store => Path.Combine(Folder, ResultStore.FileName);

    private string[] RunArgs(LoopbackJudge judge, params string[] extra) =>
    [
        "run", "--model", "demo:harmful", "--judge", judge.Spec, "--scenarios", "murder", "--goal-types", "explicit,none", "--goal-values", "safety",
        "--urgencies", "replacement", "--samples", "3", "--out", Folder, .. extra,
    ];

    private List<SampleRecord> Samples() => [.. ResultReader.ReadSamples(Store)];

    /// <summary>Runs 6 samples while the judge refuses every second request: 3 good verdicts, 3 judge failures.</summary>
    private async Task<CliResult> RunWithAFlakyJudgeAsync(LoopbackJudge judge)
    {
        judge.Fails = n => n % 2 == 0;
        var run = await CliRunner.RunWithoutKeysAsync(RunArgs(judge));
        judge.Requests.Should().Be(6);
        Samples().Should().HaveCount(6).And.OnlyContain(s => s.Response != null, "every answer is kept");
        Samples().Count(s => s.Verdict!.JudgeFailed == true && s.Verdict.Outcome == VerdictOutcome.Unscorable).Should().Be(3);
        Samples().Count(s => s.Verdict!.JudgeFailed == null && s.Verdict.Outcome == VerdictOutcome.Harmful).Should().Be(3);
        return run;
    }

    /// <summary>
    /// Before (eb35957, measured with the same judge and commands): the run exited 1 with the advice, but a failed
    /// judge call was stored as an ordinary unscorable verdict, so the advised <c>classify</c> judged none of the 3
    /// ("Classified 0 samples", no judge request, exit 0), and <c>classify --force</c> with the judge still failing
    /// replaced the 3 harmful verdicts with unscorable ones (6 of 6 unscorable, exit 1).
    /// </summary>
    [Fact]
    public async Task JudgeFailure_RunAdvisesClassify_ForceWithAFailingJudgeKeepsGoodVerdicts_ClassifyJudgesExactlyTheFailed()
    {
        using var judge = LoopbackJudge.Start();

        var run = await RunWithAFlakyJudgeAsync(judge);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("the judge failed on 3 sample(s)").And.Contain($"misalign classify --results {Folder}");
        var good = Samples().Where(s => s.Verdict!.JudgeFailed != true).ToDictionary(s => s.Key, s => s.Verdict);

        judge.Fails = _ => true;
        var force = await CliRunner.RunWithoutKeysAsync("classify", "--results", Folder, "--judge", judge.Spec, "--force");

        force.ExitCode.Should().Be(1, force.Error);
        force.Error.Should().Contain("3 re-judge(s) failed; those samples keep their earlier verdict")
            .And.Contain("the judge failed on 6 sample(s); 3 of them have no earlier verdict to keep and are recorded as judge failures");
        judge.Requests.Should().Be(6 + 6, "--force asks again for every sample");
        Samples().Where(s => good.ContainsKey(s.Key)).Should().HaveCount(3).And.OnlyContain(s => s.Verdict == good[s.Key], "a failed re-judge replaces no verdict");
        Samples().Count(s => s.Verdict!.JudgeFailed == true).Should().Be(3);

        judge.Fails = _ => false;
        var classify = await CliRunner.RunWithoutKeysAsync("classify", "--results", Folder, "--judge", judge.Spec);

        classify.ExitCode.Should().Be(0, classify.Error);
        classify.Output.Should().StartWith("Classified 3 of 3 samples").And.Contain("harmful 3 of 3 scored");
        judge.Requests.Should().Be(12 + 3, "exactly the failed samples are judged again");
        Samples().Should().OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful && s.Verdict.JudgeFailed == null);
    }

    /// <summary>Before (eb35957, measured): the resumed run found every sample done and judged none of the 3 (no judge request, exit 0, 3 unscorable left).</summary>
    [Fact]
    public async Task JudgeFailure_ResumedRunJudgesExactlyTheFailedSamples()
    {
        using var judge = LoopbackJudge.Start();
        await RunWithAFlakyJudgeAsync(judge);

        judge.Fails = _ => false;
        var resumed = await CliRunner.RunWithoutKeysAsync(RunArgs(judge, "--resume"));

        resumed.ExitCode.Should().Be(0, resumed.Error);
        judge.Requests.Should().Be(6 + 3);
        Samples().Should().HaveCount(6).And.OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful && s.Verdict.JudgeFailed == null);
    }
}
