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
        var usage = new UsageSum();
        while (true)
        {
            steps++;
            response = await _client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
            produced.AddRange(response.Messages);
            usage.Add(response.Usage);

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
            Usage = usage.Result(),
            ModelId = response.ModelId,
            Latency = Stopwatch.GetElapsedTime(start),
        };
    }

    /// <summary>
    /// The usage of every step of a sample, summed: input (all of it, cache reads and writes included), output and
    /// total; reasoning, cache-read and cache-write counts only when some step reported them, so an unknown count
    /// stays unknown rather than becoming zero.
    /// </summary>
    private sealed class UsageSum
    {
        private long _input, _output, _total;
        private long? _reasoning, _cached, _written;
        private bool _any;

        public void Add(UsageDetails? usage)
        {
            if (usage is null)
            {
                return;
            }

            _any = true;
            _input += usage.InputTokenCount ?? 0;
            _output += usage.OutputTokenCount ?? 0;
            _total += usage.TotalTokenCount ?? (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
            _reasoning = Sum(_reasoning, usage.ReasoningTokenCount);
            _cached = Sum(_cached, usage.CachedInputTokenCount);
            _written = Sum(_written, PromptCacheUsage.CacheWriteTokens(usage));
        }

        public UsageDetails? Result() => _any
            ? PromptCacheUsage.WithCacheWrite(new UsageDetails { InputTokenCount = _input, OutputTokenCount = _output, TotalTokenCount = _total, ReasoningTokenCount = _reasoning, CachedInputTokenCount = _cached }, _written)
            : null;

        private static long? Sum(long? so, long? more) => more is { } m ? (so ?? 0) + m : so;
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
