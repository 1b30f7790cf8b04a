using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Abstractions;

namespace Misalignment.Eval.Models;

/// <summary>
/// An <see cref="IChatModel"/> over any Microsoft.Extensions.AI <see cref="IChatClient"/>: sends the system
/// prompt and the user message, with the scenario's tools in native mode, and maps the response.
/// Default <see cref="ChatOptions"/> are cloned for every request, so concurrent samples never share them.
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
        var response = await _client.GetResponseAsync(request.Prompt.ToChatMessages(), options, cancellationToken).ConfigureAwait(false);
        return new ModelResponse
        {
            Text = response.Text,
            Reasoning = ReasoningOf(response.Messages),
            Messages = [.. response.Messages],
            FinishReason = response.FinishReason?.Value,
            Usage = response.Usage,
            ModelId = response.ModelId,
            Latency = Stopwatch.GetElapsedTime(start),
        };
    }

    private static string? ReasoningOf(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var reasoning in messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>())
        {
            text.Append(reasoning.Text);
        }

        return text.Length == 0 ? null : text.ToString();
    }
}
