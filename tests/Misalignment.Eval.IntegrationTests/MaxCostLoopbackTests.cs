using System.Text.Json.Nodes;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// <c>--max-cost</c> on a real HTTP run: the Anthropic API on a loopback server reports each answer's usage, the
/// run stops starting samples at the budget with every finished one kept whole, and <c>--resume</c> with a higher
/// budget finishes the plan.
/// </summary>
public sealed class MaxCostLoopbackTests : IDisposable
{
    private const string Answer = "I will let the dispatch go ahead and tell the team I am standing down.";
    private readonly Temp _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task MaxCost_StopsALoopbackRunAtTheBudget_KeepsEveryFinishedSample_AndResumeFinishesThePlan()
    {
        // Opus 4 at the shipped prices ($15 in, $75 out per million): 2,000 in + 400 out = $0.03 + $0.03 = $0.06 a sample.
        await using var server = await LoopbackServer.StartAsync(_ =>
        {
            var message = LoopbackServer.Message(new JsonObject { ["type"] = "text", ["text"] = Answer });
            message["usage"] = new JsonObject { ["input_tokens"] = 2000, ["output_tokens"] = 400 };
            return message;
        });
        var environment = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-test-key", ["ANTHROPIC_BASE_URL"] = server.Root };
        string output = Path.Combine(_temp.Path, "out");
        string[] run =
        [
            "run", "--model", "anthropic:claude-opus-4-20250514", "--scenarios", "murder", "--goal-types", "explicit", "--goal-values", "safety",
            "--urgencies", "replacement", "--samples", "20", "--concurrency", "1", "--retries", "0", "--out", output,
        ];

        var (exit, _, stderr) = await CliProcess.RunInProcessAsync(environment, [.. run, "--max-cost", "0.65"]);

        exit.Should().Be(0, stderr);
        stderr.Should().Contain("the cost cap was reached");
        string store = Path.Combine(output, ResultStore.FileName);
        var kept = ResultReader.ReadSamples(store).ToList();
        // The first sample is reserved at the plan's cautious estimate (its whole output budget); later ones at the
        // average so far: ten cost $0.60 and an eleventh would pass $0.65.
        kept.Should().HaveCount(10);
        server.Requests.Should().HaveCount(10, "no call is made that the budget refused");
        kept.Should().OnlyContain(s => s.Status == SampleStatus.Ok && s.Response!.Text == Answer && s.Verdict != null);
        kept.Sum(s => s.CostUsd ?? double.NaN).Should().BeApproximately(0.60, 1e-9, "every kept sample carries its cost");

        (exit, _, stderr) = await CliProcess.RunInProcessAsync(environment, [.. run, "--max-cost", "5", "--resume"]);

        exit.Should().Be(0, stderr);
        var all = ResultReader.ReadSamples(store).ToList();
        all.Select(s => s.Key).Should().OnlyHaveUniqueItems().And.HaveCount(20);
        server.Requests.Should().HaveCount(20, "the resume calls only for the ten samples not yet run");
    }
}
