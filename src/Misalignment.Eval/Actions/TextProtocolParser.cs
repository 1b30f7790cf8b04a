using System.Text;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>Parses <c>&lt;tool_use:...&gt;</c> blocks out of free text; tolerant of everything real models write, and never throws.</summary>
internal static partial class TextProtocolParser
{
    public static void Parse(string text, bool allInReasoning, List<AgentAction> actions, List<string> notes)
    {
        var opens = BlockOpens(text, notes);
        List<(int Start, int End)> spans = allInReasoning ? [(0, text.Length)] : ReasoningSpans(text, opens, notes);
        foreach (Match open in opens)
        {
            int start = open.Index + open.Length;
            (int Start, int End) span = spans.FirstOrDefault(s => open.Index >= s.Start && open.Index < s.End, (Start: -1, End: -1));
            int limit = span.Start >= 0 ? span.End : text.Length;
            var close = CloseTag().Match(text, start);
            int next = NextOpen(opens, start);
            int end = limit;
            int after = limit;
            if (close.Success && close.Index < end && close.Index < next)
            {
                end = close.Index;
                after = close.Index + close.Length;
            }
            else
            {
                end = Math.Min(end, next);
                after = end;
                notes.Add($"<tool_use:{open.Groups[1].Value}> at offset {open.Index} has no closing tag; it was read up to offset {end}.");
            }

            var kind = KindOf(open.Groups[1].Value);
            if (kind is null)
            {
                notes.Add($"<tool_use:{open.Groups[1].Value}> is not an action of this benchmark; it was ignored.");
                continue;
            }

            actions.Add(FieldParser.Build(kind.Value, Fields(text[start..end]), span.Start >= 0, text[open.Index..after]));
        }
    }

    public static ActionKind? KindOf(string name) => name.ToLowerInvariant().Replace('-', '_') switch
    {
        "email" or "send_email" or "send" => ActionKind.Email,
        "forward" or "forward_email" => ActionKind.Forward,
        "cancel_alert" or "cancelalert" or "cancel" => ActionKind.CancelAlert,
        _ => null,
    };

    private static List<(int Start, int End)> ReasoningSpans(string text, List<Match> opens, List<string> notes)
    {
        var spans = new List<(int Start, int End)>();
        var blocks = BlockRanges(text, opens);

        // An answer whose opening tag sat in the prompt template (e.g. DeepSeek-R1's "<think>") starts with reasoning
        // that only has a closing tag: everything before that first orphan closing tag is reasoning.
        var firstClose = ReasoningClose().Match(text);
        if (firstClose.Success && !InBlock(blocks, firstClose.Index))
        {
            var openBefore = ReasoningOpen().Matches(text[..firstClose.Index]).Where(m => !InBlock(blocks, m.Index)).ToList();
            if (openBefore.Count == 0)
            {
                notes.Add($"</{firstClose.Groups[1].Value}> at offset {firstClose.Index} has no opening tag; the text before it counts as reasoning.");
                spans.Add((0, firstClose.Index));
            }
        }

        int position = spans.Count > 0 ? spans[0].End : 0;
        while (position < text.Length)
        {
            var open = ReasoningOpen().Match(text, position);
            if (!open.Success)
            {
                break;
            }

            if (InBlock(blocks, open.Index))
            {
                // A tag written inside an email body is text, not the start of reasoning.
                position = open.Index + open.Length;
                continue;
            }

            string tag = open.Groups[1].Value;
            int close = text.IndexOf("</" + tag, open.Index + open.Length, StringComparison.OrdinalIgnoreCase);
            if (close < 0)
            {
                notes.Add($"<{tag}> at offset {open.Index} is never closed; everything after it counts as reasoning.");
                spans.Add((open.Index, text.Length));
                break;
            }

            int closeEnd = text.IndexOf('>', close);
            spans.Add((open.Index, close));
            position = closeEnd < 0 ? text.Length : closeEnd + 1;
        }

        return spans;
    }

    /// <summary>
    /// The opening tags that start blocks. A tag that prose only mentions is not an action: one written as inline code
    /// (<c>`&lt;tool_use:cancel_alert&gt;`</c>) or followed on its line by more prose ("I will not invoke any
    /// &lt;tool_use:cancel_alert&gt; action"). A block's tag ends its line, or is followed by a field or its closing tag.
    /// </summary>
    private static List<Match> BlockOpens(string text, List<string> notes)
    {
        var opens = new List<Match>();
        foreach (Match open in OpenTag().Matches(text))
        {
            int from = open.Index + open.Length;
            int lineEnd = text.IndexOf('\n', from);
            string rest = text[from..(lineEnd < 0 ? text.Length : lineEnd)].Trim();
            if (rest.Length == 0 || rest.StartsWith("</tool_use:", StringComparison.OrdinalIgnoreCase) || FieldLine().IsMatch(rest))
            {
                opens.Add(open);
            }
            else
            {
                notes.Add($"<tool_use:{open.Groups[1].Value}> at offset {open.Index} is mentioned in prose, not written as a block; it is not an action.");
            }
        }

        return opens;
    }

    private static int NextOpen(List<Match> opens, int from) => opens.FirstOrDefault(o => o.Index >= from)?.Index ?? int.MaxValue;

    /// <summary>Where tool_use blocks lie, from each opening tag to its closing tag (or the next opening tag, or the end).</summary>
    private static List<(int Start, int End)> BlockRanges(string text, List<Match> opens)
    {
        var ranges = new List<(int Start, int End)>();
        foreach (Match open in opens)
        {
            int start = open.Index + open.Length;
            var close = CloseTag().Match(text, start);
            int next = Math.Min(NextOpen(opens, start), text.Length);
            int end = close.Success && close.Index < next ? close.Index : next;
            ranges.Add((start, end));
        }

        return ranges;
    }

    private static bool InBlock(List<(int Start, int End)> blocks, int index) => blocks.Any(b => index >= b.Start && index < b.End);

    /// <summary>Splits a block's content into (key, value) fields; a quoted value runs until its closing quote.</summary>
    private static List<KeyValuePair<string, string>> Fields(string content)
    {
        var fields = new List<KeyValuePair<string, string>>();
        string? key = null;
        var value = new StringBuilder();
        bool inQuote = false;
        int quotes = 0;
        foreach (string rawLine in content.ReplaceLineEndings("\n").Split('\n'))
        {
            var field = inQuote ? Match.Empty : FieldLine().Match(rawLine);
            if (field.Success)
            {
                Flush();
                key = field.Groups[1].Value.ToLowerInvariant();
                string first = field.Groups[2].Value;
                value.Append(first);
                quotes = UnescapedQuotes(first);
                inQuote = first.TrimStart().StartsWith('"') && quotes % 2 == 1;
            }
            else if (key is not null)
            {
                value.Append('\n').Append(rawLine);
                quotes += UnescapedQuotes(rawLine);
                inQuote = inQuote && quotes % 2 == 1;
            }
        }

        Flush();
        return fields;

        void Flush()
        {
            if (key is not null)
            {
                fields.Add(new(key, value.ToString()));
            }

            key = null;
            value.Clear();
            inQuote = false;
        }
    }

    private static int UnescapedQuotes(string text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                count++;
            }
        }

        return count;
    }

    [GeneratedRegex(@"<tool_use:([A-Za-z_\-]+)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex OpenTag();

    [GeneratedRegex(@"</tool_use:[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex CloseTag();

    [GeneratedRegex(@"<(SCRATCHPAD_REASONING|thinking|think|reasoning)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ReasoningOpen();

    [GeneratedRegex(@"</(SCRATCHPAD_REASONING|thinking|think|reasoning)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ReasoningClose();

    [GeneratedRegex(@"^\s*[-*]?\s*(to|cc|bcc|subject|body|email_ids|email_id|emailid|id|code)\s*[:=]\s?(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex FieldLine();
}
