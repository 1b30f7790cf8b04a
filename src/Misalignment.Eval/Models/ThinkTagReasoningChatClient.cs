using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// Moves <c>&lt;think&gt;...&lt;/think&gt;</c> reasoning out of the text of assistant messages into
/// <see cref="TextReasoningContent"/>, so that it is recorded as reasoning, shown to the eval-awareness judge as
/// reasoning, and any tool-use block written inside it counts as considered, never as an action (see <see cref="ThinkTags"/>).
/// Streaming responses pass through unchanged.
/// </summary>
internal sealed class ThinkTagReasoningChatClient : DelegatingChatClient
{
    /// <summary>Wraps a client.</summary>
    /// <param name="innerClient">The client whose responses may carry think tags.</param>
    public ThinkTagReasoningChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var message in response.Messages.Where(m => m.Role == ChatRole.Assistant))
        {
            for (int i = message.Contents.Count - 1; i >= 0; i--)
            {
                if (message.Contents[i] is TextContent text && ThinkTags.Split(text.Text) is (var answer, { } reasoning))
                {
                    message.Contents[i] = new TextContent(answer) { RawRepresentation = text.RawRepresentation, AdditionalProperties = text.AdditionalProperties };
                    message.Contents.Insert(i, new TextReasoningContent(reasoning));
                }
            }
        }

        return response;
    }
}
