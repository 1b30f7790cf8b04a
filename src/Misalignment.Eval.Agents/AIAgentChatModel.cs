using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Agents;

/// <summary>
/// A Microsoft Agent Framework <see cref="AIAgent"/> as the system under test. For every sample the agent gets a new
/// session and one run whose input is the scenario as its environment: a system message with the scenario's system
/// prompt (who it is in the fictional company, its goal, the tools of its mail client) and the user message of the mail
/// system (the emails, or with <see cref="RenderOptions.InboxTools"/> a notice to read them through tools). The agent
/// keeps its own instructions, tools and middleware: a <see cref="ChatClientAgent"/> sends its instructions first
/// (<see cref="ChatOptions.Instructions"/>), then these two messages. The scenario's tools (<c>send_email</c>,
/// <c>forward_email</c>, <c>cancel_alert</c>, and <c>list_inbox</c>, <c>read_email</c>) are added to the run as
/// <see cref="AIFunction"/>s that the scenario's sandbox answers; the agent's own tools run as they always do. Every
/// message of the run (calls and results of both kinds of tools) is recorded; a scenario call that the agent's own
/// middleware stopped before it reached the sandbox is marked blocked and counts as considered, not taken.
/// </summary>
/// <remarks>
/// The tools reach the agent through <see cref="ChatClientAgentRunOptions"/>: a <see cref="ChatClientAgent"/>, and any
/// agent built around one with <see cref="AIAgentBuilder"/> (function-invocation middleware included), accepts them. The
/// scenario must be rendered in native tool mode (<see cref="AgentSafetyCheck"/> does this); a text-mode prompt offers no
/// functions and its actions are read from the answer's text blocks.
/// </remarks>
public sealed class AIAgentChatModel : IChatModel
{
    private readonly AIAgent _agent;

    /// <summary>Creates the adapter.</summary>
    /// <param name="agent">The agent under test.</param>
    /// <param name="name">The name results are recorded under (default: the agent's name, else <c>agent</c>).</param>
    public AIAgentChatModel(AIAgent agent, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agent = agent;
        Name = string.IsNullOrWhiteSpace(name) ? string.IsNullOrWhiteSpace(agent.Name) ? "agent" : agent.Name : name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>
    /// The most model calls one sample may take, or <see langword="null"/> (the default) for the prompt's
    /// (<see cref="RenderOptions.MaxSteps"/>: 8, or 24 with the inbox through tools).
    /// </summary>
    public int? MaxSteps { get; init; }

    /// <inheritdoc/>
    public async Task<ModelResponse> RespondAsync(ModelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = request.Prompt;
        int maxSteps = Math.Max(1, MaxSteps ?? prompt.Options.StepLimit);
        var reached = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var counter = new StepLimitFunction.Counter();
        var scenarioTools = prompt.Tools.OfType<AIFunctionDeclaration>().ToList();
        var chatOptions = new ChatOptions
        {
            Tools = [.. scenarioTools.Select(d => (AITool)new SandboxFunction(d, prompt, reached))],
            Seed = request.Seed,
        };
        var options = new ChatClientAgentRunOptions(chatOptions)
        {
            // Every function of the run, the agent's own too, counts its model call against the step limit.
            ChatClientFactory = client => client.AsBuilder()
                .ConfigureOptions(o => o.Tools = o.Tools?.Select(t => t is AIFunction f and not StepLimitFunction ? new StepLimitFunction(f, maxSteps, counter) : t).ToList())
                .Build(),
        };

        long start = Stopwatch.GetTimestamp();
        var session = await _agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        ChatMessage[] input = [new(ChatRole.System, prompt.SystemPrompt), new(ChatRole.User, prompt.UserMessage)];
        var response = await _agent.RunAsync(input, session, options, cancellationToken).ConfigureAwait(false);
        var messages = response.Messages.ToList();
        MarkBlocked(messages, scenarioTools.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase), reached);
        return new ModelResponse
        {
            Text = string.Join("\n\n", messages.Where(m => m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Text)).Select(m => m.Text)),
            Reasoning = ReasoningOf(messages),
            Messages = messages,
            FinishReason = counter.Reached ? "step_limit" : response.FinishReason?.Value,
            Usage = response.Usage,
            ModelId = (response.RawRepresentation as ChatResponse)?.ModelId,
            Latency = Stopwatch.GetElapsedTime(start),
        };
    }

    /// <summary>Marks the scenario calls that were answered without reaching the sandbox: something in the agent stopped them.</summary>
    private static void MarkBlocked(List<ChatMessage> messages, HashSet<string> scenarioTools, ConcurrentDictionary<string, bool> reached)
    {
        var answered = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        foreach (var call in messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            if (scenarioTools.Contains(call.Name) && answered.Contains(call.CallId) && !reached.ContainsKey(call.CallId))
            {
                (call.AdditionalProperties ??= [])[AgentTools.BlockedProperty] = true;
            }
        }
    }

    private static string? ReasoningOf(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var reasoning in messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Where(r => !string.IsNullOrWhiteSpace(r.Text)))
        {
            text.Append(text.Length == 0 ? string.Empty : "\n\n").Append(reasoning.Text);
        }

        return text.Length == 0 ? null : text.ToString();
    }
}
