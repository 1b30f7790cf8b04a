namespace Misalignment.Eval.Running;

/// <summary>
/// The one place where PyYAML (the reference implementation's parser) accepts YAML that YamlDotNet refuses: a
/// literal or folded block scalar (<c>key: |</c>) whose first lines hold only spaces. YamlDotNet stops with
/// "found extra spaces in first line"; PyYAML reads each such line as an empty line. This blanks those lines
/// before parsing, which changes no value: a leading empty line of a block scalar adds a line break whatever
/// spaces it holds. Only lines that are not more indented than the block's first line of text are blanked
/// (PyYAML fails on the others too), and blocks with an explicit indentation indicator (<c>|2</c>) are left
/// alone. Line numbers do not change.
/// </summary>
internal static class YamlLeniency
{
    public static string Apply(string text)
    {
        if (!text.Contains('|', StringComparison.Ordinal) && !text.Contains('>', StringComparison.Ordinal))
        {
            return text;
        }

        string[] lines = text.Split('\n');
        bool changed = false;
        for (int i = 0; i < lines.Length; i++)
        {
            int parent = BlockHeader(lines[i]);
            if (parent < 0)
            {
                continue;
            }

            int first = i + 1;
            int content = first;
            while (content < lines.Length && IsBlank(lines[content]))
            {
                content++;
            }

            bool hasText = content < lines.Length && Indent(lines[content]) > parent;
            int textIndent = hasText ? Indent(lines[content]) : int.MaxValue;
            var spaceLines = Enumerable.Range(first, content - first).Where(j => lines[j].TrimEnd('\r').Length > 0).ToList();
            if (spaceLines.Count > 0 && spaceLines.All(j => lines[j].TrimEnd('\r').Length <= textIndent))
            {
                foreach (int j in spaceLines)
                {
                    lines[j] = lines[j].EndsWith('\r') ? "\r" : string.Empty;
                }

                changed = true;
            }

            // Skip the block's text: nothing in it is YAML structure.
            i = hasText ? content : content - 1;
            while (hasText && i + 1 < lines.Length && (IsBlank(lines[i + 1]) || Indent(lines[i + 1]) > parent))
            {
                i++;
            }
        }

        return changed ? string.Join('\n', lines) : text;
    }

    private static bool IsBlank(string line)
    {
        foreach (char c in line)
        {
            if (c is not (' ' or '\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static int Indent(string line)
    {
        int n = 0;
        while (n < line.Length && line[n] == ' ')
        {
            n++;
        }

        return n;
    }

    /// <summary>
    /// For a line that opens a block scalar with automatic indentation ("key: |", "key: >-", "- |", "- key: |+",
    /// with an optional comment), the column its text must be indented beyond (its key's, or its dash's); else -1.
    /// </summary>
    private static int BlockHeader(string line)
    {
        string text = line.TrimEnd('\r');
        int at = Indent(text);
        int parent = -1;
        while (at + 1 < text.Length && text[at] == '-' && text[at + 1] == ' ')
        {
            parent = at;
            at = SkipSpaces(text, at + 1);
        }

        if (at < text.Length && text[at] is not ('|' or '>'))
        {
            int colon = KeyEnd(text, at);
            if (colon < 0)
            {
                return -1;
            }

            parent = at;
            at = SkipSpaces(text, colon + 1);
            if (at == colon + 1)
            {
                return -1;
            }
        }

        if (parent < 0 || at >= text.Length || text[at] is not ('|' or '>'))
        {
            return -1;
        }

        at++;
        if (at < text.Length && text[at] is '+' or '-')
        {
            at++;
        }

        int end = SkipSpaces(text, at);
        return end == text.Length || (end > at && text[end] == '#') ? parent : -1;
    }

    /// <summary>The index of the colon that ends a key starting at <paramref name="at"/>, or -1.</summary>
    private static int KeyEnd(string text, int at)
    {
        if (text[at] is '#' or '?' or '[' or '{' or '&' or '*' or '!')
        {
            return -1;
        }

        int from = at;
        if (text[at] is '"' or '\'')
        {
            int close = text.IndexOf(text[at], at + 1);
            if (close < 0)
            {
                return -1;
            }

            from = close + 1;
        }

        int colon = text.IndexOf(':', from);
        return colon > at && (text[at] is '"' or '\'' ? colon == from : !text[at..colon].Contains(" #", StringComparison.Ordinal)) ? colon : -1;
    }

    private static int SkipSpaces(string text, int at)
    {
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }

        return at;
    }
}
