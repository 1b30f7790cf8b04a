using System.Text;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>
/// Splits the reasoning that open-weight reasoning models (DeepSeek-R1 on Together, Qwen3) write inside their answer as
/// <c>&lt;think&gt;...&lt;/think&gt;</c> from the answer itself. Handles the shapes real servers return: a leading block;
/// a closing tag with no opening one (the opening tag was part of the chat template); an opening tag never closed
/// (the answer was cut off while thinking). Tags inside a <c>&lt;tool_use:...&gt;</c> block are text of that block.
/// </summary>
internal static partial class ThinkTags
{
    /// <summary>Splits a text into its answer and its reasoning.</summary>
    /// <param name="text">The content the server returned.</param>
    /// <returns>The answer (reasoning removed, trimmed) and the reasoning (<see langword="null"/> when there is none).</returns>
    public static (string Answer, string? Reasoning) Split(string? text)
    {
        if (string.IsNullOrEmpty(text) || !AnyTag().IsMatch(text))
        {
            return (text ?? string.Empty, null);
        }

        var blocks = ToolUseBlocks(text);
        var tags = AnyTag().Matches(text).Where(m => !blocks.Any(b => m.Index >= b.Start && m.Index < b.End)).ToList();
        var answer = new StringBuilder();
        var reasoning = new List<string>();
        int position = 0;

        // A closing tag before any opening one: everything before it was reasoning.
        if (tags.Count > 0 && tags[0].Value.StartsWith("</", StringComparison.Ordinal))
        {
            reasoning.Add(text[..tags[0].Index]);
            position = tags[0].Index + tags[0].Length;
            tags.RemoveAt(0);
        }

        for (int i = 0; i < tags.Count; i++)
        {
            var open = tags[i];
            if (open.Value.StartsWith("</", StringComparison.Ordinal) || open.Index < position)
            {
                continue;
            }

            answer.Append(text, position, open.Index - position);
            var close = tags.Skip(i + 1).FirstOrDefault(t => t.Value.StartsWith("</", StringComparison.Ordinal));
            int end = close?.Index ?? text.Length;
            reasoning.Add(text[(open.Index + open.Length)..end]);
            position = close is null ? text.Length : close.Index + close.Length;
        }

        answer.Append(text, position, text.Length - position);
        var parts = reasoning.Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        return (answer.ToString().Trim(), parts.Count == 0 ? null : string.Join("\n\n", parts));
    }

    private static List<(int Start, int End)> ToolUseBlocks(string text)
    {
        var blocks = new List<(int Start, int End)>();
        foreach (Match open in ToolUseOpen().Matches(text))
        {
            int close = text.IndexOf("</tool_use:", open.Index + open.Length, StringComparison.OrdinalIgnoreCase);
            blocks.Add((open.Index + open.Length, close < 0 ? text.Length : close));
        }

        return blocks;
    }

    [GeneratedRegex(@"</?think\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"<tool_use:[a-z_\-]+\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ToolUseOpen();
}
