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
    public async Task Resume_SaysWhatTheStoreCostSoFar_AndWarnsWhenThePriceTableChanged()
    {
        string folder = Path.GetDirectoryName(StorePath)!;
        string december = Path.Combine(folder, "december.json"), january = Path.Combine(folder, "january.json");
        await File.WriteAllTextAsync(december, """{ "as_of": "2026-12-01", "models": { "claude-test": { "input": 10, "output": 100 } } }""");
        await File.WriteAllTextAsync(january, """{ "as_of": "2027-01-15", "models": { "claude-test": { "input": 10, "output": 100 } } }""");
        var log = new List<string>();
        var options = new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => new UsageClient()), Log = log.Add };
        await new ExperimentSession(Spec(december, maxCost: 0.05), options).RunAsync().WaitAsync(WaitCapTests.Bound);
        log.Clear();

        await new ExperimentSession(Spec(january, maxCost: 1), options).RunAsync().WaitAsync(WaitCapTests.Bound);

        log.Should().Contain(l => l.StartsWith("Resuming ", StringComparison.Ordinal) && l.EndsWith("; cost so far: $0.0400 over 2 priced samples of 2 (prices as of 2026-12-01).", StringComparison.Ordinal));
        log.Should().Contain("warning: the store's samples were priced with the price table of 2026-12-01; this run prices its own with that of 2027-01-15, and the reports name 2026-12-01.");
        ResultReader.ReadManifest(StorePath).PricesAsOf.Should().Be("2026-12-01", "the store's manifest is its first line, never rewritten");
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
    [InlineData("anthropic:claude-opus-4-5-20251101", 5.0, 25.0)]
    [InlineData("anthropic:claude-opus-4-1-20250805", 15.0, 75.0)]
    [InlineData("anthropic:claude-sonnet-4-5-20250929", 3.0, 15.0)]
    [InlineData("claude-3-7-sonnet-20250219", 3.0, 15.0)]
    [InlineData("anthropic:claude-haiku-4-5-20251001", 1.0, 5.0)]
    [InlineData("anthropic:claude-3-5-haiku-20241022", 0.8, 4.0)]
    public void PriceTable_Defaults_FindAModelByItsNameAfterTheProvider(string spec, double input, double output)
    {
        var price = PriceTable.Default.Find(spec);

        price.Should().NotBeNull();
        (price!.Input, price.Output).Should().Be((input, output));
        price.Source.Should().StartWith("https://");
        PriceTable.Default.AsOf.Should().Be("2026-12-01");
    }

    [Fact]
    public void PriceTable_Defaults_EveryEntryHasItsCacheRatesAndTheBatchDiscount()
    {
        // Anthropic's rule, as its pricing page lists it: a 5-minute cache write is 1.25x the input rate, a cache hit 0.1x.
        PriceTable.Default.Entries.Should().NotBeEmpty().And.OnlyContain(e =>
            e.Value.CacheWrite != null && Math.Abs(e.Value.CacheWrite.Value - (1.25 * e.Value.Input)) < 1e-9
            && e.Value.CachedInput != null && Math.Abs(e.Value.CachedInput.Value - (0.1 * e.Value.Input)) < 1e-9
            && e.Value.BatchDiscount == 0.5);
    }

    [Fact]
    public void PriceTable_UnknownModel_HasNoPrice() => PriceTable.Default.Find("openai:gpt-unknown").Should().BeNull();

    /// <summary>
    /// Each call reports 1,000 input tokens, 400 of them read from the cache and 100 written to it. At $10 in, $1
    /// cached, $20 written and $100 out per million: (500 x 10 + 400 x 1 + 100 x 20 + 100 x 100) millionths = $0.0174 a
    /// sample. The record carries that number, the run's cost and the cap count the same, and the reports say it
    /// with its n; the unpriced model's samples are counted, never costed at $0.
    /// </summary>
    [Fact]
    public async Task Cost_OfEverySample_IsRecorded_SummedByTheRun_AndReportedWithItsN_UnpricedCountedApart()
    {
        string prices = Path.Combine(Path.GetDirectoryName(StorePath)!, "prices.json");
        await File.WriteAllTextAsync(prices, """{ "as_of": "2027-01-15", "models": { "claude-test": { "input": 10, "cached_input": 1, "cache_write": 20, "output": 100 } } }""");
        var client = new UsageClient(cached: 400, written: 100);
        var options = new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => client) };
        var spec = Spec(prices, maxCost: 1) with { Models = ["fake:claude-test", "fake:unpriced"], Execution = new ExecutionSpec { PricesFile = prices } };

        var result = await new ExperimentSession(spec, options).RunAsync().WaitAsync(WaitCapTests.Bound);

        var samples = ResultReader.ReadSamples(StorePath).ToList();
        samples.Where(r => r.Model == "fake:claude-test").Should().HaveCount(5).And.OnlyContain(r => r.CostUsd != null && Math.Abs(r.CostUsd.Value - 0.0174) < 1e-12
            && r.Response!.CachedInputTokens == 400 && r.Response.CacheWriteTokens == 100);
        samples.Where(r => r.Model == "fake:unpriced").Should().HaveCount(5).And.OnlyContain(r => r.CostUsd == null);
        File.ReadLines(StorePath).Where(l => l.Contains("fake:unpriced|", StringComparison.Ordinal)).Should().OnlyContain(l => !l.Contains("costUsd", StringComparison.Ordinal));
        result.Summary.CostUsd.Should().BeApproximately(5 * 0.0174, 1e-9);
        (result.Summary.PricedSamples, result.Summary.InputTokens, result.Summary.CachedInputTokens, result.Summary.CacheWriteTokens, result.Summary.OutputTokens).Should().Be((5, 10_000L, 4_000L, 1_000L, 1_000L));
        ResultReader.ReadManifest(StorePath).PricesAsOf.Should().Be("2027-01-15");

        var statements = Misalignment.Eval.Reporting.ReportText.Statements(result.Aggregation);
        statements.Should().Contain("Cost of the models' calls (judge not included): $0.0870 over 5 priced samples of 10 (prices as of 2027-01-15; 5 without a cost (no price for the model, no usage reported, or the call failed) not included).")
            .And.Contain("Tokens: 10,000 input tokens (40.0% read from the prompt cache, 10.0% written to it) and 1,000 output tokens over 10 samples that reported usage.")
            .And.Contain(s => s.StartsWith("Cost of fake:unpriced: not known: none of the 5 samples has a cost", StringComparison.Ordinal))
            .And.NotContain(s => s.Contains("$0.0000", StringComparison.Ordinal));
        var summary = ResultReader.Inspect(StorePath);
        (summary.Usage.Samples, summary.Usage.Priced, summary.UsageByModel["fake:claude-test"].CostUsd).Should().Be((10L, 5L, summary.Usage.CostUsd));
    }

    [Fact]
    public async Task Reports_CarryTheCost_JsonWithNullForNotKnown_CsvPerCell()
    {
        string prices = Path.Combine(Path.GetDirectoryName(StorePath)!, "prices.json");
        await File.WriteAllTextAsync(prices, """{ "as_of": "2027-01-15", "models": { "claude-test": { "input": 10, "output": 100 } } }""");
        var options = new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => new UsageClient()) };
        var spec = Spec(prices, maxCost: 1) with { Models = ["fake:claude-test", "fake:unpriced"], Execution = new ExecutionSpec { PricesFile = prices } };

        await new ExperimentSession(spec, options).RunAsync().WaitAsync(WaitCapTests.Bound);

        string folder = Path.GetDirectoryName(StorePath)!;
        var cost = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "report.json")))!["cost"]!;
        cost["pricesAsOf"]!.GetValue<string>().Should().Be("2027-01-15");
        (cost["samples"]!.GetValue<long>(), cost["pricedSamples"]!.GetValue<long>()).Should().Be((10L, 5L));
        cost["usd"]!.GetValue<double>().Should().BeApproximately(0.1, 1e-9);
        var unpriced = cost["byModel"]!.AsArray().Single(m => m!["model"]!.GetValue<string>() == "fake:unpriced")!;
        unpriced["usd"].Should().BeNull("not known is null, never 0");
        unpriced["inputTokens"]!.GetValue<long>().Should().Be(5000);
        var rows = File.ReadAllLines(Path.Combine(folder, "report.csv"));
        rows[0].Should().EndWith(",partial,cost_usd,priced_samples,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens");
        var priced = rows.Single(r => r.StartsWith("fake:claude-test,", StringComparison.Ordinal)).Split(',')[^6..];
        double.Parse(priced[0], System.Globalization.CultureInfo.InvariantCulture).Should().BeApproximately(0.1, 1e-9);
        priced[1..].Should().Equal("5", "5000", "0", "0", "500");
        rows.Single(r => r.StartsWith("fake:unpriced,", StringComparison.Ordinal)).Split(',')[^6..].Should().Equal("", "0", "5000", "0", "0", "500");
        File.ReadAllText(Path.Combine(folder, "report.md")).Should().Contain("- Cost of the models' calls (judge not included): $0.1000 over 5 priced samples of 10 (prices as of 2027-01-15;");
        File.ReadAllText(Path.Combine(folder, "report.html")).Should().Contain("<li>Cost of fake:claude-test: $0.1000 over 5 priced samples of 5 (prices as of 2027-01-15); 5,000 input tokens (no prompt-cache reads or writes reported)");
    }

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

    /// <summary>Answers every call at once, reporting 1,000 input and 100 output tokens (and the cache counts given).</summary>
    private sealed class UsageClient(long? cached = null, long? written = null) : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "I replied to the routine emails.")) { Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 100, CachedInputTokenCount = cached, AdditionalCounts = written is { } w ? new() { ["CacheCreationInputTokens"] = w } : null } });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
