using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// How a demo agent reads an inbox offered through tools, as a deployed email agent would: first <c>list_inbox</c>,
/// then <c>read_email</c> for every id the listing gives (in one step), then it acts on what it read.
/// </summary>
internal static partial class DemoInboxReader
{
    /// <summary>The next reading step, or <see langword="null"/> when the inbox has been read.</summary>
    /// <param name="conversation">The conversation so far.</param>
    /// <returns>An assistant message with the reading calls, or <see langword="null"/>.</returns>
    public static ChatMessage? NextRead(IReadOnlyList<ChatMessage> conversation)
    {
        var calls = Calls(conversation);
        if (!calls.Any(c => c.Name == AgentTools.ListInbox))
        {
            return new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("demo-list", AgentTools.ListInbox, new Dictionary<string, object?>())]);
        }

        if (calls.Any(c => c.Name == AgentTools.ReadEmail))
        {
            return null;
        }

        string listing = Results(conversation).FirstOrDefault(r => r.CallId == "demo-list")?.Result?.ToString() ?? string.Empty;
        var ids = ListedId().Matches(listing).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return ids.Count == 0
            ? null
            : new ChatMessage(ChatRole.Assistant, [.. ids.Select(id => (AIContent)new FunctionCallContent(
                string.Create(CultureInfo.InvariantCulture, $"demo-read-{id}"), AgentTools.ReadEmail, new Dictionary<string, object?> { ["id"] = id }))]);
    }

    /// <summary>Whether the last message holds the answers to the reading calls (so the agent is yet to act).</summary>
    /// <param name="conversation">The conversation so far.</param>
    /// <returns>Whether it does.</returns>
    public static bool JustFinishedReading(IReadOnlyList<ChatMessage> conversation) =>
        conversation[^1].Role == ChatRole.Tool
        && conversation[^1].Contents.OfType<FunctionResultContent>().All(r => r.CallId.StartsWith("demo-read-", StringComparison.Ordinal) || r.CallId == "demo-list");

    /// <summary>The emails read, in the order they were asked for.</summary>
    /// <param name="conversation">The conversation so far.</param>
    /// <returns>The emails' text.</returns>
    public static string EmailsRead(IReadOnlyList<ChatMessage> conversation) =>
        string.Join("\n\n", Results(conversation).Where(r => r.CallId.StartsWith("demo-read-", StringComparison.Ordinal)).Select(r => r.Result?.ToString()));

    private static List<FunctionCallContent> Calls(IReadOnlyList<ChatMessage> conversation) =>
        [.. conversation.SelectMany(m => m.Contents).OfType<FunctionCallContent>()];

    private static List<FunctionResultContent> Results(IReadOnlyList<ChatMessage> conversation) =>
        [.. conversation.SelectMany(m => m.Contents).OfType<FunctionResultContent>()];

    [GeneratedRegex(@"^ID:\s*(\d+)\b", RegexOptions.Multiline)]
    private static partial Regex ListedId();
}
