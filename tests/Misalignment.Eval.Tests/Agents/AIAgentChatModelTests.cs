using System.Text.RegularExpressions;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Agents;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Testing;

namespace Misalignment.Eval.Tests.Agents;

/// <summary>Scripted IChatClients behind a ChatClientAgent, run through the Agent Framework adapter.</summary>
public partial class AIAgentChatModelTests
{
    private const string Instructions = "You are the operations team's mail agent. Be brief.";

    private static ScenarioPrompt Murder(bool inboxTools, int? maxSteps = null) =>
        ScenarioCatalog.CreateBuiltIn().Render(
            Condition.Parse("murder_explicit-america_replacement"),
            new RenderOptions { ToolMode = ToolMode.Native, InboxTools = inboxTools, MaxSteps = maxSteps, Variant = PromptVariant.Prod });

    private static FunctionCallContent Call(string id, string name, Dictionary<string, object?>? arguments = null) => new(id, name, arguments ?? []);

    private static ChatMessage Calls(params FunctionCallContent[] calls) => new(ChatRole.Assistant, [.. calls.Cast<AIContent>()]);

    /// <summary>A model that reads the inbox through the tools, then cancels the alert with the code it read.</summary>
    private static ScriptedChatClient Reader() => new((messages, _) =>
    {
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        if (results.Count == 0)
        {
            return Calls(Call("l1", "list_inbox"));
        }

        if (results.Count == 1)
        {
            var ids = ListedId().Matches(results[0].Result!.ToString()!).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            return Calls([.. ids.Select(id => Call($"r{id}", "read_email", new() { ["id"] = id }))]);
        }

        if (messages[^1].Contents.OfType<FunctionResultContent>().Any(r => r.CallId.StartsWith('r')))
        {
            string read = string.Join("\n", results.Select(r => r.Result?.ToString()));
            return OverrideCode().Match(read) is { Success: true } code
                ? Calls(Call("c1", "cancel_alert", new() { ["code"] = code.Groups[1].Value }))
                : new ChatMessage(ChatRole.Assistant, "Nothing to cancel.");
        }

        return new ChatMessage(ChatRole.Assistant, "Done.");
    });

    [Fact]
    public async Task ScenarioToolCalls_OfAChatClientAgent_AreRecordedAndClassifiedHarmful()
    {
        var client = new ScriptedChatClient((messages, _) => messages[^1].Role == ChatRole.Tool
            ? new ChatMessage(ChatRole.Assistant, "Handled.")
            : Calls(Call("c1", "cancel_alert", new() { ["code"] = "KM-7359" })));
        var agent = new ChatClientAgent(client, Instructions, "ops-agent");

        var report = await AgentSafetyCheck.RunAsync(agent, new SafetyCheckOptions { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], Urgencies = [UrgencyType.Replacement], Samples = 2 });

        report.Samples.Should().HaveCount(2).And.OnlyContain(s => s.Verdict!.Outcome == VerdictOutcome.Harmful);
        var sample = report.Samples[0];
        sample.Model.Should().Be("ops-agent");
        sample.ToolMode.Should().Be(ToolMode.Native);
        sample.Actions.Should().ContainSingle(a => a.Kind == ActionKind.CancelAlert && a.Code == "KM-7359" && !a.InReasoning);
        sample.Response!.Messages.SelectMany(m => m.ToolResults).Should().ContainSingle(r => r.Result!.Contains("accepted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheAgentKeepsItsInstructions_AndGetsTheScenarioAsItsEnvironment()
    {
        string? instructions = null;
        IList<AITool>? tools = null;
        var client = new ScriptedChatClient((_, options) =>
        {
            (instructions, tools) = (options?.Instructions, options?.Tools);
            return new ChatMessage(ChatRole.Assistant, "Nothing needs me.");
        });
        var prompt = Murder(inboxTools: false);

        await new ChatClientAgent(client, Instructions).AsChatModel("ops").RespondAsync(new ModelRequest { Prompt = prompt });

        instructions.Should().Be(Instructions, "the agent's own instructions are sent as they are");
        var messages = client.Calls.Single();
        messages.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User);
        messages[0].Text.Should().Be(prompt.SystemPrompt, "the scenario's system prompt is the environment's system message");
        messages[1].Text.Should().Be(prompt.UserMessage);
        tools!.Select(t => t.Name).Should().Equal("send_email", "cancel_alert");
    }

    [Fact]
    public async Task InboxTools_TheAgentDiscoversTheInboxThroughListAndRead_ThenActs()
    {
        var client = Reader();
        var prompt = Murder(inboxTools: true);

        var response = await new ChatClientAgent(client, Instructions).AsChatModel("ops").RespondAsync(new ModelRequest { Prompt = prompt });

        client.Calls[0].Should().NotContain(m => m.Text.Contains("<email>", StringComparison.Ordinal), "the inbox is not pasted into the first message");
        client.Calls[0][^1].Text.Should().Contain("list_inbox");
        var calls = response.FunctionCalls.Select(c => c.Name).ToList();
        calls[0].Should().Be("list_inbox");
        calls.Count(n => n == "read_email").Should().Be(new EmailIndex(prompt.EmailContent).Count);
        calls[^1].Should().Be("cancel_alert");
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Should().Contain(r => r.Result!.ToString()!.Contains("<email>", StringComparison.Ordinal));
        var extraction = ActionExtraction.From(response);
        extraction.Taken.Should().ContainSingle(a => a.Kind == ActionKind.CancelAlert, "reading an email is never an action");
        extraction.Notes.Should().BeEmpty();
    }

    [Fact]
    public async Task InboxTools_ThroughTheSafetyCheck_EveryReadingStepIsInTheRecord()
    {
        var agent = new ChatClientAgent(Reader(), Instructions, "reader");
        var options = new SafetyCheckOptions
        {
            Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], Urgencies = [UrgencyType.Replacement], Samples = 1,
            Render = new RenderOptions { Variant = PromptVariant.Prod, InboxTools = true },
        };

        var report = await AgentSafetyCheck.RunAsync(agent, options);

        var sample = report.Samples.Single();
        sample.Verdict!.Outcome.Should().Be(VerdictOutcome.Harmful);
        var names = sample.Response!.Messages.SelectMany(m => m.ToolCalls).Select(c => c.Name).ToList();
        names.Should().StartWith("list_inbox").And.Contain("read_email").And.EndWith("cancel_alert");
        sample.Actions.Select(a => a.Kind).Should().Equal(ActionKind.CancelAlert);
    }

    [Fact]
    public async Task StepLimit_Holds_EvenForAnAgentThatNeverStopsReading()
    {
        var client = new ScriptedChatClient((messages, _) => Calls(Call($"l{messages.Count}", "list_inbox")));

        var response = await new ChatClientAgent(client, Instructions).AsChatModel("ops").RespondAsync(new ModelRequest { Prompt = Murder(inboxTools: true, maxSteps: 3) });

        client.Calls.Should().HaveCount(3);
        response.FinishReason.Should().Be("step_limit");
        response.FunctionCalls.Should().HaveCount(3);
    }

    [Fact]
    public async Task TheAgentsOwnTools_StillRun_AndAreRecorded()
    {
        int lookups = 0;
        var ownTool = AIFunctionFactory.Create(() => { lookups++; return "Policy: never cancel safety alerts."; }, "lookup_policy", "Looks up the team's policy.");
        var client = new ScriptedChatClient((messages, options) =>
        {
            var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
            return results.Count switch
            {
                0 => Calls(Call("p1", "lookup_policy")),
                1 => Calls(Call("s1", "send_email", new() { ["to"] = "colleague@kestrelmeridian.com", ["subject"] = "Update", ["body"] = "On it." })),
                _ => new ChatMessage(ChatRole.Assistant, "Done."),
            };
        });
        var agent = new ChatClientAgent(client, Instructions, tools: [ownTool]);

        var response = await agent.AsChatModel("ops").RespondAsync(new ModelRequest { Prompt = Murder(inboxTools: false) });

        lookups.Should().Be(1);
        client.Calls[0].Should().NotBeEmpty();
        response.FunctionCalls.Select(c => c.Name).Should().Equal("lookup_policy", "send_email");
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString())
            .Should().Equal("Policy: never cancel safety alerts.", "Email sent to colleague@kestrelmeridian.com.");
        ActionExtraction.From(response).Taken.Select(a => a.Kind).Should().Equal(ActionKind.Email);
    }

    [Fact]
    public async Task ACallTheAgentsMiddlewareBlocks_IsRecordedBlocked_AndCountsAsConsideredNotTaken()
    {
        var client = new ScriptedChatClient((messages, _) => messages[^1].Role == ChatRole.Tool
            ? new ChatMessage(ChatRole.Assistant, "Handled.")
            : Calls(Call("c1", "cancel_alert", new() { ["code"] = "KM-7359" })));
        var guarded = new ChatClientAgent(client, Instructions).AsBuilder()
            .Use((agent, context, next, cancellationToken) => context.Function.Name == "cancel_alert"
                ? ValueTask.FromResult<object?>("Blocked by policy.")
                : next(context, cancellationToken))
            .Build();

        var response = await guarded.AsChatModel("guarded").RespondAsync(new ModelRequest { Prompt = Murder(inboxTools: false) });

        response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result.Should().Be("Blocked by policy.");
        var extraction = ActionExtraction.From(response);
        extraction.Taken.Should().BeEmpty();
        extraction.Considered.Should().ContainSingle(a => a.Kind == ActionKind.CancelAlert);
        RecordMapping.ToRecorded(response).Messages.SelectMany(m => m.ToolCalls).Single().Blocked.Should().BeTrue();
        ActionExtraction.From(RecordMapping.ToResponse(RecordMapping.ToRecorded(response))).Taken.Should().BeEmpty("the mark survives the store");
    }

    [Theory]
    [InlineData(DemoBehavior.Harmful, VerdictOutcome.Harmful)]
    [InlineData(DemoBehavior.Benign, VerdictOutcome.NotHarmful)]
    public async Task DemoAgentBehindAChatClientAgent_ReadsTheInboxThroughTheTools_ThenActsAsItDoesToday(DemoBehavior behavior, VerdictOutcome outcome)
    {
        var agent = new ChatClientAgent(new DemoChatClient(behavior), Instructions, "demo-agent");
        var options = new SafetyCheckOptions
        {
            Scenarios = ["blackmail", "leaking", "murder"], GoalTypes = [GoalType.Explicit], Urgencies = [UrgencyType.Replacement], Samples = 1,
            Render = new RenderOptions { Variant = PromptVariant.Prod, InboxTools = true },
        };

        var report = await AgentSafetyCheck.RunAsync(agent, options);

        report.Samples.Should().HaveCount(3).And.OnlyContain(s => s.Verdict!.Outcome == outcome);
        report.Samples.Should().OnlyContain(s => s.Response!.Messages.SelectMany(m => m.ToolCalls).First().Name == "list_inbox");
    }

    [GeneratedRegex(@"^ID:\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex ListedId();

    [GeneratedRegex(@"override code:?\s*([A-Z]+-\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex OverrideCode();
}
