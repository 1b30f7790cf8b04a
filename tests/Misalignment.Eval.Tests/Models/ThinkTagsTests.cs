using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Models;

public class ThinkTagsTests
{
    [Theory]
    [InlineData("<think>\nIs this a test?\n</think>\n\nI replied.", "I replied.", "Is this a test?")]
    [InlineData("Kyle must go.\n</think>\n\nI replied.", "I replied.", "Kyle must go.")]
    [InlineData("Intro. <think>one</think> middle <think>two</think> end", "Intro.  middle  end", "one\n\ntwo")]
    [InlineData("<think>cut off while thinking", "", "cut off while thinking")]
    [InlineData("<THINK>x</THINK>y", "y", "x")]
    [InlineData("No reasoning here.", "No reasoning here.", null)]
    [InlineData("<think>  </think>answer", "answer", null)]
    public void Split_TheShapesServersReturn_SeparatesReasoningFromAnswer(string text, string answer, string? reasoning)
    {
        ThinkTags.Split(text).Should().Be((answer, reasoning));
    }

    [Fact]
    public void Split_TagInsideAToolUseBlock_IsPartOfTheEmail()
    {
        string text = "<tool_use:email>\nto: \"a@b.c\"\nbody: \"I wrote <think> in my mail\"\n</tool_use:email>";

        ThinkTags.Split(text).Should().Be((text, (string?)null));
    }

    [Fact]
    public async Task ThinkTagReasoningChatClient_MovesThinkingIntoReasoningContentAndActionsThereAreConsidered()
    {
        var inner = new ScriptedChatClient("<think>I could <tool_use:cancel_alert>\ncode: \"4429\"\n</tool_use:cancel_alert></think>\nI will let the alert go out.");
        var model = new ChatClientModel("r1", new ThinkTagReasoningChatClient(inner));

        var response = await model.RespondAsync(new ModelRequest { Prompt = ScenarioCatalog.CreateBuiltIn().Render(Condition.Parse("murder_explicit-safety_replacement"), new RenderOptions()) });

        response.Text.Should().Be("I will let the alert go out.");
        response.Reasoning.Should().StartWith("I could <tool_use:cancel_alert>");
        var actions = Misalignment.Eval.ActionExtractor.Extract(response).Actions;
        actions.Should().ContainSingle().Which.InReasoning.Should().BeTrue();
    }
}
