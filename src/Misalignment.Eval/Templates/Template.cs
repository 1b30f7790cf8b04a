using System.Text;

namespace Misalignment.Eval.Templates;

/// <summary>
/// A parsed template: literal text, <c>${name}</c> placeholders and <c>${include:path}</c> directives.
/// <c>$$</c> is a literal <c>$</c>; a <c>$</c> followed by anything else is literal as it is.
/// </summary>
internal sealed class Template
{
    /// <summary>How deep includes may nest (a part that includes a part ...).</summary>
    internal const int MaxIncludeDepth = 32;

    /// <summary>How many includes one render may expand in all; a pack whose parts include each other twice would otherwise grow exponentially.</summary>
    internal const int MaxIncludes = 10_000;

    /// <summary>The longest text one render may produce, in characters: far more than any prompt a model accepts.</summary>
    internal const int MaxRenderedLength = 1_000_000;

    private const string IncludePrefix = "include:";
    private readonly List<Segment> _segments;

    private Template(string file, List<Segment> segments)
    {
        File = file;
        _segments = segments;
    }

    /// <summary>The file the template came from, as shown in errors.</summary>
    public string File { get; }

    /// <summary>The variable names the template uses (not counting includes).</summary>
    public IEnumerable<string> Placeholders => _segments.Where(s => s.Kind == SegmentKind.Variable).Select(s => s.Text);

    /// <summary>Parses a template; line endings are normalised to <c>\n</c>.</summary>
    public static Template Parse(string text, string file)
    {
        text = text.ReplaceLineEndings("\n");
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                literal.Append('$');
                i++;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                int close = text.IndexOf('}', i + 2);
                int newline = text.IndexOf('\n', i + 2);
                if (close < 0 || (newline >= 0 && newline < close))
                {
                    throw new TemplateException(file, line, "'${' is not closed by '}' on the same line; write '$${' for a literal '${'.");
                }

                Flush(segments, literal);
                segments.Add(ParsePlaceholder(text[(i + 2)..close], file, line));
                i = close;
            }
            else
            {
                if (c == '\n')
                {
                    line++;
                }

                literal.Append(c);
            }
        }

        Flush(segments, literal);
        return new Template(file, segments);
    }

    /// <summary>Renders the template.</summary>
    public string Render(TemplateContext context)
    {
        var output = new StringBuilder();
        RenderInto(output, context, []);
        return output.ToString();
    }

    private void RenderInto(StringBuilder output, TemplateContext context, List<string> includeChain)
    {
        foreach (var segment in _segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    output.Append(segment.Text);
                    break;
                case SegmentKind.Variable:
                    if (!context.Variables.TryGetValue(segment.Text, out string? value))
                    {
                        throw new TemplateException(File, segment.Line, $"unknown placeholder '${{{segment.Text}}}'{context.DescribeScope()}.");
                    }

                    context.Used?.Add(segment.Text);
                    output.Append(value);
                    break;
                default:
                    RenderInclude(segment, output, context, includeChain);
                    break;
            }

            if (output.Length > MaxRenderedLength)
            {
                throw new TemplateException(File, segment.Line, $"the rendered text passes {MaxRenderedLength} characters{context.DescribeScope()}; an include or a variable is repeated far too often.");
            }
        }
    }

    private void RenderInclude(Segment segment, StringBuilder output, TemplateContext context, List<string> includeChain)
    {
        if (includeChain.Count + 1 > MaxIncludeDepth)
        {
            throw new TemplateException(File, segment.Line, $"includes nest deeper than {MaxIncludeDepth} levels{context.DescribeScope()} (this include starts from {includeChain[0]}).");
        }

        if (++context.IncludesExpanded > MaxIncludes)
        {
            throw new TemplateException(File, segment.Line, $"more than {MaxIncludes} includes in one render{context.DescribeScope()}; parts that include other parts several times grow exponentially.");
        }

        var included = context.ResolveInclude(segment.Text, File, segment.Line);
        if (included.File == File || includeChain.Contains(included.File))
        {
            throw new TemplateException(File, segment.Line, $"include cycle: {string.Join(" -> ", includeChain.Append(File).Append(included.File))}.");
        }

        includeChain.Add(File);
        included.RenderInto(output, context, includeChain);
        includeChain.RemoveAt(includeChain.Count - 1);
    }

    private static Segment ParsePlaceholder(string body, string file, int line)
    {
        if (body.StartsWith(IncludePrefix, StringComparison.Ordinal))
        {
            string path = body[IncludePrefix.Length..].Trim();
            return path.Length == 0 || path.Contains("..", StringComparison.Ordinal) || path.StartsWith('/')
                ? throw new TemplateException(file, line, $"include path '{path}' must be a relative path inside the pack.")
                : new Segment(SegmentKind.Include, path, line);
        }

        if (!IsValidName(body))
        {
            throw new TemplateException(file, line, $"'${{{body}}}' is not a valid placeholder: names use letters, digits, '_' and '.', starting with a letter or '_'.");
        }

        return new Segment(SegmentKind.Variable, body, line);
    }

    internal static bool IsValidName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.');

    private static void Flush(List<Segment> segments, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            segments.Add(new Segment(SegmentKind.Literal, literal.ToString(), 0));
            literal.Clear();
        }
    }

    private enum SegmentKind
    {
        Literal,
        Variable,
        Include,
    }

    private readonly record struct Segment(SegmentKind Kind, string Text, int Line);
}
