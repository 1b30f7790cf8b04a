using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

/// <summary>
/// The order a model's samples go in: sample by sample over all conditions, or, with the prompt cache on, a block of
/// conditions at a time so that a condition's samples (one shared prompt) come back within the cache's window.
/// </summary>
public sealed class PlanOrderTests : RunnerTestBase
{
    private static readonly List<Condition> Five =
    [
        Condition.Parse("murder_explicit-safety_replacement"), Condition.Parse("murder_explicit-safety_restriction"), Condition.Parse("murder_explicit-safety_none"),
        Condition.Parse("blackmail_explicit-america_replacement"), Condition.Parse("blackmail_none-none_none"),
    ];

    [Fact]
    public void Items_InBlocks_GoBlockByBlock_EachSampleBySample()
    {
        var order = RunPlan.Items(["m"], Five, PromptVariant.Dev, samplesPerCondition: 3, block: 2).Select(i => $"{Five.IndexOf(i.Condition)}.{i.SampleIndex}");

        order.Should().Equal("0.1", "1.1", "0.2", "1.2", "0.3", "1.3", "2.1", "3.1", "2.2", "3.2", "2.3", "3.3", "4.1", "4.2", "4.3");
    }

    [Fact]
    public void Items_WithoutBlocks_GoSampleBySampleOverEveryCondition()
    {
        var order = RunPlan.Items(["m"], Five, PromptVariant.Dev, samplesPerCondition: 2).Select(i => $"{Five.IndexOf(i.Condition)}.{i.SampleIndex}");

        order.Should().Equal("0.1", "1.1", "2.1", "3.1", "4.1", "0.2", "1.2", "2.2", "3.2", "4.2");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(99)]
    public void Items_AnyBlock_HoldTheSameWork_ShardIncluded(int block)
    {
        var shard = new Shard(2, 3);
        var all = RunPlan.Items(["a", "b"], Five, PromptVariant.Dev, 7, shard).Select(i => i.Key).ToList();

        var blocked = RunPlan.Items(["a", "b"], Five, PromptVariant.Dev, 7, shard, block).Select(i => i.Key).ToList();

        blocked.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(all);
        all.Should().OnlyContain(k => shard.Contains(k));
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 5)]
    public async Task Session_WithThePromptCache_BringsACondition_sPromptBackWithinTwiceTheConcurrency(bool promptCache, int widestGap)
    {
        var client = new OrderClient();
        var spec = new ExperimentSpec
        {
            Models = ["fake:m"],
            Expansions = [new GridExpansion { Scenarios = ["murder", "blackmail"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Safety], Urgencies = [UrgencyType.Replacement, UrgencyType.Restriction], }, new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.None], GoalValues = [GoalValue.None], Urgencies = [UrgencyType.None] }],
            SamplesPerCondition = 4,
            Concurrency = new ConcurrencySpec { Default = 1 },
            Classification = new ClassificationSpec { Enabled = false },
            Execution = new ExecutionSpec { PromptCache = promptCache },
            OutputDirectory = Path.GetDirectoryName(StorePath)!,
        };

        await new ExperimentSession(spec, new ExperimentSessionOptions { Models = new ModelResolver().Add("fake", _ => client) }).RunAsync().WaitAsync(WaitCapTests.Bound);

        var prompts = client.Prompts.ToList();
        prompts.Should().HaveCount(20);
        var gaps = prompts.Select((p, i) => (p, i)).GroupBy(x => x.p).SelectMany(g => g.Select(x => x.i).Zip(g.Select(x => x.i).Skip(1), (a, b) => b - a));
        gaps.Max().Should().Be(widestGap, "with one worker and blocks of two conditions a prompt comes back after two calls; without blocks, after all five conditions");
    }

    /// <summary>Records each call's prompt (its last user message), in call order.</summary>
    private sealed class OrderClient : IChatClient
    {
        public ConcurrentQueue<string> Prompts { get; } = new();

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Prompts.Enqueue(string.Concat(messages.Select(m => m.Text)));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "I replied to the routine emails.")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
