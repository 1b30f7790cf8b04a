using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ChatCompletion = OpenAI.Chat.ChatCompletion;
using ChatCompletionOptions = OpenAI.Chat.ChatCompletionOptions;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// Adapts the OpenAI SDK's chat client to servers that speak OpenAI's protocol with their own dialect: sends the
/// output budget as <c>max_tokens</c> where the server may not know <c>max_completion_tokens</c>, and captures the
/// reasoning that DeepSeek (<c>reasoning_content</c>) and OpenRouter (<c>reasoning</c>) return beside the answer,
/// which the SDK keeps only as unparsed JSON.
/// </summary>
internal sealed class OpenAiProtocolChatClient(IChatClient inner, bool sendMaxTokens) : DelegatingChatClient(inner)
{
    private static readonly string[] ReasoningFields = ["reasoning_content", "reasoning"];

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (sendMaxTokens && options is { MaxOutputTokens: { } budget, RawRepresentationFactory: null })
        {
            options = options.Clone();
            options.MaxOutputTokens = null;
            options.RawRepresentationFactory = _ => LegacyMaxTokens(budget);
        }

        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (response.RawRepresentation is ChatCompletion completion
            && response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant) is { } answer
            && !answer.Contents.OfType<TextReasoningContent>().Any()
            && ReasoningOf(completion) is { } reasoning)
        {
            answer.Contents.Insert(0, new TextReasoningContent(reasoning));
        }

        return response;
    }

#pragma warning disable SCME0001 // JsonPatch is the SDK's way to send a field it has no property for.
    private static ChatCompletionOptions LegacyMaxTokens(int budget)
    {
        var options = new ChatCompletionOptions();
        options.Patch.Set("$.max_tokens"u8, budget);
        return options;
    }
#pragma warning restore SCME0001

    /// <summary>The reasoning field of the first choice's message, read from the completion as the server sent it.</summary>
    private static string? ReasoningOf(ChatCompletion completion)
    {
        using var json = JsonDocument.Parse(ModelReaderWriter.Write(completion));
        if (!json.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || !choices[0].TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (string field in ReasoningFields)
        {
            if (message.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            {
                return value.GetString();
            }
        }

        return null;
    }
}
