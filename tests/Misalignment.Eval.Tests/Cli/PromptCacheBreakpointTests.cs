using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Cli.Commands;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>Where the Claude clients put the prompt-cache breakpoint, and when they put none.</summary>
public sealed class PromptCacheBreakpointTests
{
    private static bool Marked(AIContent content) => content.AdditionalProperties?.Values.OfType<CacheControlEphemeral>().Any() == true;

    private static List<ChatMessage> Scenario() =>
        [new ChatMessage(ChatRole.System, "You are Orin."), new ChatMessage(ChatRole.User, "This is an automated message. <emails>...</emails>")];

    [Fact]
    public void Breakpoint_GoesOnTheLastBlockOfTheUserMessage_OfACopy()
    {
        var messages = Scenario();

        var sent = AnthropicPromptCache.WithBreakpoint(messages).ToList();

        sent.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User);
        sent[1].Text.Should().Be(messages[1].Text, "the model reads the same text");
        Marked(sent[1].Contents.Single()).Should().BeTrue();
        Marked(sent[0].Contents.Single()).Should().BeFalse();
        messages[1].Contents.Should().ContainSingle().Which.AdditionalProperties.Should().BeNull("the caller's messages are never changed");
    }

    /// <summary>The agent loop's later turns add the model's tool calls and the sandbox's results; the breakpoint stays on the shared prefix.</summary>
    [Fact]
    public void Breakpoint_InTheAgentLoopsLaterTurns_StaysOnTheSharedUserMessage()
    {
        var messages = Scenario();
        messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "list_inbox", new Dictionary<string, object?>())]));
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "3 emails")]));

        var sent = AnthropicPromptCache.WithBreakpoint(messages).ToList();

        sent.SelectMany(m => m.Contents).Where(Marked).Should().ContainSingle().Which.Should().BeOfType<TextContent>().Which.Text.Should().StartWith("This is an automated message");
    }

    [Fact]
    public void NoBreakpoint_WithoutASystemPrompt_TheJudgesRequest()
    {
        var judge = new List<ChatMessage> { new(ChatRole.User, "Here is the transcript ... Answer yes or no.") };

        AnthropicPromptCache.WithBreakpoint(judge).SelectMany(m => m.Contents).Should().NotContain(c => Marked(c), "each judge prompt quotes a different answer: a cache write would never be read");
    }

    [Fact]
    public void NoBreakpoint_WhenTheUserMessageEndsInABlankBlock_ThatTheSdkLeavesOut()
    {
        var messages = Scenario();
        messages[1].Contents.Add(new TextContent("  "));

        AnthropicPromptCache.WithBreakpoint(messages).SelectMany(m => m.Contents).Should().NotContain(c => Marked(c));
    }

    [Theory]
    [InlineData(true, 2, ToolMode.Text, true)]
    [InlineData(true, 1, ToolMode.Native, true)]
    [InlineData(true, 1, ToolMode.Text, false)]
    [InlineData(false, 100, ToolMode.Native, false)]
    public void Marks_OnlyWhenAskedAndSomethingReadsThePrefixBack(bool asked, int samples, ToolMode mode, bool marks)
    {
        var spec = new ExperimentSpec { SamplesPerCondition = samples, Render = new RenderOptions { ToolMode = mode }, Execution = new ExecutionSpec { PromptCache = asked } };

        RunFlags.MarksPromptCache(spec).Should().Be(marks);
    }
}
