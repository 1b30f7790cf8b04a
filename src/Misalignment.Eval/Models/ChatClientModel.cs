using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// An <see cref="IChatModel"/> over any Microsoft.Extensions.AI <see cref="IChatClient"/>: sends the system
/// prompt and the user message and maps the response. In native tool mode it runs the agent loop: every tool
/// call is answered by the <see cref="ScenarioSandbox"/> and the conversation continues, up to
/// <see cref="MaxSteps"/> model calls, recording every step. Default <see cref="ChatOptions"/> are cloned for
/// every request, so concurrent samples never share them.
/// </summary>
public sealed class ChatClientModel : IChatModel
{
    private readonly IChatClient _client;
    private readonly ChatOptions? _defaults;

    /// <summary>Creates the model.</summary>
    /// <param name="name">The name results are recorded under.</param>
    /// <param name="client">The chat client (with whatever middleware the caller composed).</param>
    /// <param name="defaults">Default options: model id, temperature, max output tokens, ...; cloned per request.</param>
    public ChatClientModel(string name, IChatClient client, ChatOptions? defaults = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        Name = name;
        _client = client;
        _defaults = defaults;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The most model calls one sample may take in native tool mode (default 8).</summary>
    public int MaxSteps { get; init; } = 8;

    /// <inheritdoc/>
    public async Task<ModelResponse> RespondAsync(ModelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _defaults?.Clone() ?? new ChatOptions();
        if (request.Prompt.Tools.Count > 0)
        {
            options.Tools = [.. options.Tools ?? [], .. request.Prompt.Tools];
        }

        if (request.Seed is { } seed)
        {
            options.Seed = seed;
        }

        long start = Stopwatch.GetTimestamp();
        var conversation = request.Prompt.ToChatMessages();
        var produced = new List<ChatMessage>();
        ChatResponse response;
        int steps = 0;
        long input = 0, output = 0, total = 0, reasoningTokens = 0;
        bool hasReasoningTokens = false;
        bool hasUsage = false;
        while (true)
        {
            steps++;
            response = await _client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
            produced.AddRange(response.Messages);
            if (response.Usage is { } usage)
            {
                hasUsage = true;
                input += usage.InputTokenCount ?? 0;
                output += usage.OutputTokenCount ?? 0;
                total += usage.TotalTokenCount ?? (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
                hasReasoningTokens |= usage.ReasoningTokenCount is not null;
                reasoningTokens += usage.ReasoningTokenCount ?? 0;
            }

            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0 || request.Prompt.Tools.Count == 0 || steps >= MaxSteps)
            {
                break;
            }

            var results = new ChatMessage(ChatRole.Tool, [.. calls.Select(c => (AIContent)ScenarioSandbox.Respond(c, request.Prompt))]);
            produced.Add(results);
            conversation = [.. conversation, .. response.Messages, results];
        }

        bool stepLimit = steps >= MaxSteps && response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any() && request.Prompt.Tools.Count > 0;
        return new ModelResponse
        {
            Text = string.Join("\n\n", produced.Where(m => m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Text)).Select(m => m.Text)),
            Reasoning = ReasoningOf(produced),
            Messages = produced,
            FinishReason = stepLimit ? "step_limit" : response.FinishReason?.Value,
            Usage = hasUsage ? new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total, ReasoningTokenCount = hasReasoningTokens ? reasoningTokens : null } : null,
            ModelId = response.ModelId,
            Latency = Stopwatch.GetElapsedTime(start),
        };
    }

    private static string? ReasoningOf(IEnumerable<ChatMessage> messages)
    {
        // Each reasoning block (an Anthropic thinking block, a reasoning field, a <think> span) is its own paragraph.
        var text = new StringBuilder();
        foreach (var reasoning in messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Where(r => !string.IsNullOrWhiteSpace(r.Text)))
        {
            text.Append(text.Length == 0 ? string.Empty : "\n\n").Append(reasoning.Text);
        }

        return text.Length == 0 ? null : text.ToString();
    }
}
