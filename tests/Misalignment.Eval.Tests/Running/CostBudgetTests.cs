using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

public class CostBudgetTests : RunnerTestBase
{
    /// <summary>
    /// At $10 in and $100 out per million tokens, each call (1,000 in, 100 out) costs $0.02. With a $0.05 cap and
    /// one call at a time: the first sample is reserved at its first estimate (100 output tokens, $0.01), the second
    /// at the average so far ($0.02, in all $0.04); a third would pass $0.05, so no further sample starts.
    /// </summary>
    [Fact]
    public async Task MaxCost_StopsARunAtTheBudget_WithEveryFinishedSampleKept_AndAResumeGoesOn()
    {
        string prices = Path.Combine(Path.GetDirectoryName(StorePath)!, "prices.json");
        await File.WriteAllTextAsync(prices, """{ "as_of": "2026-12-01", "models": { "claude-test": { "input": 10, "output": 100 } } }""");
        var client = new UsageClient();
        var options = new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => client) };
        var spec = Spec(prices, maxCost: 0.05);

        var first = await new ExperimentSession(spec, options).RunAsync().WaitAsync(WaitCapTests.Bound);

        first.Summary.BudgetReached.Should().BeTrue();
        first.Summary.Written.Should().Be(2);
        first.Summary.NotRun.Should().Be(3);
        first.Summary.CostUsd.Should().BeApproximately(0.04, 1e-9);
        first.Summary.CostByModel["fake:claude-test"].Should().BeApproximately(0.04, 1e-9);
        client.Calls.Should().Be(2, "no sample starts once the next would pass the cap");
        var kept = ResultReader.ReadSamples(StorePath).ToList();
        kept.Should().HaveCount(2).And.OnlyContain(r => r.Status == SampleStatus.Ok && r.Response!.InputTokens == 1000 && r.Response.OutputTokens == 100);

        var resumed = await new ExperimentSession(Spec(prices, maxCost: 1), options).RunAsync().WaitAsync(WaitCapTests.Bound);

        resumed.Summary.BudgetReached.Should().BeFalse();
        resumed.Summary.Skipped.Should().Be(2);
        resumed.Summary.Written.Should().Be(3);
        resumed.Summary.CostUsd.Should().BeApproximately(0.06, 1e-9);
        ResultReader.ReadSamples(StorePath).Select(r => r.Key).Should().OnlyHaveUniqueItems().And.HaveCount(5).And.Contain(kept.Select(r => r.Key));
    }

    [Fact]
    public async Task MaxCost_ModelWithoutAPrice_IsRefusedBeforeAnyCall()
    {
        var client = new UsageClient();
        var options = new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => client) };
        var spec = Spec(null, maxCost: 1) with { Models = ["fake:unpriced"] };

        var act = () => new ExperimentSession(spec, options).RunAsync().WaitAsync(WaitCapTests.Bound);

        await act.Should().ThrowAsync<MisalignmentEvalException>().WithMessage("*'fake:unpriced' has none*--prices FILE*");
        client.Calls.Should().Be(0);
    }

    [Theory]
    [InlineData("anthropic:claude-opus-4-20250514", 15.0, 75.0)]
    [InlineData("anthropic:claude-sonnet-4-0", 3.0, 15.0)]
    [InlineData("claude-opus-4", 15.0, 75.0)]
    public void PriceTable_Defaults_FindAModelByItsNameAfterTheProvider(string spec, double input, double output)
    {
        var price = PriceTable.Default.Find(spec);

        price.Should().NotBeNull();
        (price!.Input, price.Output).Should().Be((input, output));
        price.Source.Should().StartWith("https://");
        PriceTable.Default.AsOf.Should().Be("2026-12-01");
    }

    [Fact]
    public void PriceTable_UnknownModel_HasNoPrice() => PriceTable.Default.Find("openai:gpt-unknown").Should().BeNull();

    private ExperimentSpec Spec(string? prices, double maxCost) => new()
    {
        Models = ["fake:claude-test"],
        Expansions = [new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Safety], Urgencies = [UrgencyType.Replacement] }],
        SamplesPerCondition = 5,
        MaxOutputTokens = 100,
        Concurrency = new ConcurrencySpec { Default = 1 },
        Classification = new ClassificationSpec { Enabled = false },
        Execution = new ExecutionSpec { MaxCostUsd = maxCost, PricesFile = prices },
        OutputDirectory = Path.GetDirectoryName(StorePath)!,
    };

    /// <summary>Answers every call at once, reporting 1,000 input and 100 output tokens.</summary>
    private sealed class UsageClient : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "I replied to the routine emails.")) { Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 100 } });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
