using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// Puts Anthropic's prompt-cache breakpoint at the end of the prefix a condition's samples share: the last text block
/// of the last user message of a request that has a system prompt (the scenario's system prompt and the user message
/// holding the emails; the API caches the tools, the system prompt and the messages up to the breakpoint). In the
/// agent loop's later turns the tool results travel as tool messages, so the breakpoint stays on that user message
/// and every step reads the shared prefix. A request without a system prompt (the judge's, whose one message quotes
/// each answer) gets none: its prefix is never sent twice, and a cache write costs more than plain input.
/// </summary>
internal static class AnthropicPromptCache
{
    /// <summary>The messages with the breakpoint on a copy of the last user message (the caller's are never changed), or as they were when there is no place for one.</summary>
    public static IEnumerable<ChatMessage> WithBreakpoint(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        int user = list.FindLastIndex(m => m.Role == ChatRole.User);
        if (user < 0 || !list.Any(m => m.Role == ChatRole.System))
        {
            return list;
        }

        var message = list[user];

        // The SDK leaves out blank text blocks, so the breakpoint goes on the last block it sends, if that is text.
        if (message.Contents.Count == 0 || message.Contents[^1] is not TextContent { RawRepresentation: null } last || string.IsNullOrWhiteSpace(last.Text))
        {
            return list;
        }

        var marked = new TextContent(last.Text)
        {
            Annotations = last.Annotations,
            AdditionalProperties = last.AdditionalProperties?.Clone(),
        }.WithCacheControl(new CacheControlEphemeral());
        var copy = message.Clone();
        copy.Contents = [.. message.Contents.Take(message.Contents.Count - 1), marked];
        list[user] = copy;
        return list;
    }
}
