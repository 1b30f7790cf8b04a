using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

/// <summary>How a sample's usage is priced, and how the cache counts travel from a provider's usage into the record.</summary>
public sealed class CostAccountingTests : IDisposable
{
    private static readonly ModelPrice Opus = PriceTable.Default.Find("anthropic:claude-opus-4-20250514")!;

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Anthropic's convention as its SDK maps it: 2,100 input tokens of which 1,000 were read from the cache and 1,000
    /// written to it leave 100 uncached. At $15 / $1.50 / $18.75 / $75 per million: 1,500 + 1,500 + 18,750 + 3,000 millionths.
    /// </summary>
    [Fact]
    public void Cost_PricesUncachedInputCacheReadsCacheWritesAndOutputEachAtItsRate()
    {
        Opus.Cost(2100, 40, cachedInputTokens: 1000, cacheWriteTokens: 1000).Should().BeApproximately(0.02475, 1e-12);
        Opus.Cost(2100, 40).Should().BeApproximately(0.0345, 1e-12, "without cache counts all input is at the input rate");
    }

    [Fact]
    public void Cost_RateNotInTheTable_FallsBackToTheInputRate()
    {
        var price = new ModelPrice(Input: 3, CachedInput: null, CacheWrite: null, Output: 15, BatchDiscount: null, Source: null);

        price.Cost(2000, 100, cachedInputTokens: 500, cacheWriteTokens: 500).Should().BeApproximately(price.Cost(2000, 100), 1e-12);
    }

    [Fact]
    public void Cost_BatchedSample_TakesTheBatchDiscountOffEverything_AndOnlyThen()
    {
        double online = Opus.Cost(2100, 40, 1000, 1000);

        Opus.Cost(2100, 40, 1000, 1000, batched: true).Should().BeApproximately(online * 0.5, 1e-12);
        new ModelPrice(15, 1.5, 18.75, 75, BatchDiscount: null, Source: null).Cost(2100, 40, 1000, 1000, batched: true).Should().BeApproximately(online, 1e-12, "no discount in the table, none taken");
    }

    [Fact]
    public void Cost_CacheCountsAboveTheInput_NeverPriceNegativeUncachedInput()
    {
        // A server that reports more cached than prompt tokens: the cached ones are priced as reported, nothing below zero.
        Opus.Cost(100, 0, cachedInputTokens: 300).Should().BeApproximately(300 * 1.5 / 1e6, 1e-12);
    }

    [Fact]
    public void Cost_OfUsageDetails_ReadsTheCacheWriteCountTheAnthropicSdkSets()
    {
        var usage = new UsageDetails { InputTokenCount = 2100, OutputTokenCount = 40, CachedInputTokenCount = 1000, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 1000 } };

        Opus.Cost(usage, batched: false).Should().BeApproximately(0.02475, 1e-12);
    }

    [Theory]
    [InlineData("\"batch_discount\": 50", "has \"batch_discount\" 50; it is the fraction a batch takes off (0.5 for half price), from 0 up to but not 1.")]
    [InlineData("\"batch_discount\": \"50%\"", "has \"batch_discount\" \"50%\"; expected a number or null.")]
    [InlineData("\"cached_input\": -1", "has \"cached_input\" -1; a rate is USD per million tokens, at least 0 (or null when not known).")]
    public void PriceFile_BadRate_IsOneLineNamingTheFileModelAndKey(string field, string expected)
    {
        string path = Path.Combine(_temp.Path, "prices.json");
        File.WriteAllText(path, $$"""{ "models": { "m": { "input": 1, "output": 2, {{field}} } } }""");

        var act = () => PriceTable.WithFile(path);

        act.Should().Throw<MisalignmentEvalException>().WithMessage($"{path}: the model 'm' {expected}");
    }

    /// <summary>The agent loop's steps each report usage; the sample's usage is their sum, cache reads and writes included.</summary>
    [Fact]
    public async Task ChatClientModel_SumsCacheReadsAndWritesOverTheAgentLoop()
    {
        var client = new StepsClient(
            Step(new FunctionCallContent("c1", "send_email", new Dictionary<string, object?> { ["to"] = "a@b.c", ["subject"] = "s", ["body"] = "b" }), new UsageDetails { InputTokenCount = 2100, OutputTokenCount = 30, CachedInputTokenCount = 0, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000 } }),
            Step(new TextContent("Done."), new UsageDetails { InputTokenCount = 2300, OutputTokenCount = 10, CachedInputTokenCount = 2000 }));
        var model = new ChatClientModel("test:m", client);

        var response = await model.RespondAsync(new ModelRequest { Prompt = Prompt(ToolMode.Native) });

        response.Usage!.InputTokenCount.Should().Be(4400);
        response.Usage.CachedInputTokenCount.Should().Be(2000);
        PromptCacheUsage.CacheWriteTokens(response.Usage).Should().Be(2000);
        var recorded = RecordMapping.ToRecorded(response);
        (recorded.InputTokens, recorded.CachedInputTokens, recorded.CacheWriteTokens, recorded.OutputTokens).Should().Be((4400L, 2000L, 2000L, 40L));
        var back = RecordMapping.ToResponse(recorded).Usage!;
        (back.CachedInputTokenCount, PromptCacheUsage.CacheWriteTokens(back)).Should().Be((2000L, 2000L), "a response read back from the response cache or the store keeps its cache counts");
    }

    [Fact]
    public async Task ChatClientModel_ProviderReportingNoCacheCounts_RecordsThemAsUnknown()
    {
        var client = new StepsClient(Step(new TextContent("Done."), new UsageDetails { InputTokenCount = 2000, OutputTokenCount = 10 }));

        var recorded = RecordMapping.ToRecorded(await new ChatClientModel("test:m", client).RespondAsync(new ModelRequest { Prompt = Prompt(ToolMode.Text) }));

        (recorded.CachedInputTokens, recorded.CacheWriteTokens).Should().Be((null, null), "an unreported count is unknown, not zero");
        System.Text.Json.JsonSerializer.Serialize(recorded, StoreJson.Options).Should().NotContain("cached").And.NotContain("cacheWrite", "null fields stay out of the store");
    }

    private static ScenarioPrompt Prompt(ToolMode mode) =>
        Misalignment.Eval.Scenarios.ScenarioCatalog.CreateBuiltIn().Render(Condition.Parse("leaking_explicit-safety_replacement"), new RenderOptions { ToolMode = mode });

    private static ChatResponse Step(AIContent content, UsageDetails usage) => new(new ChatMessage(ChatRole.Assistant, [content])) { Usage = usage };

    /// <summary>Answers each call with the next response.</summary>
    private sealed class StepsClient(params ChatResponse[] steps) : IChatClient
    {
        private int _next;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(steps[_next++]);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
