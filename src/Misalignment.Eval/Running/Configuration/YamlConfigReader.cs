using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Misalignment.Eval.Running;

/// <summary>
/// Reads YAML into <see cref="ConfigNode"/>s, keeping line numbers. It reads the parser's events itself (no
/// recursion beyond <see cref="ConfigLimits.MaxDepth"/>), so a deeply nested file is an error, not a crash;
/// duplicate keys, a second document and an empty file are errors too. Anchors, aliases and merge keys
/// (<c>&lt;&lt;: *base</c>) work as in PyYAML, which the reference implementation uses.
/// </summary>
internal sealed class YamlConfigReader
{
    private readonly string _file;
    private readonly Parser _parser;
    private readonly Dictionary<string, ConfigNode> _anchors = new(StringComparer.Ordinal);

    private YamlConfigReader(string text, string file)
    {
        _file = file;
        _parser = new Parser(new Scanner(new StringReader(YamlLeniency.Apply(text)), skipComments: true));
    }

    /// <summary>The line of the last event read, for errors that YamlDotNet raises without a position.</summary>
    private int _line = 1;

    public static ConfigNode Read(string text, string file)
    {
        var reader = new YamlConfigReader(text, file);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException ex)
        {
            string message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            throw new ConfigurationException(file, (int)ex.Start.Line, string.Empty, $"invalid YAML: {message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or EndOfStreamException or ArgumentException)
        {
            // YamlDotNet's scanner gives up on some malformed input without a YamlException (e.g. "The scanner should contain no more tokens").
            throw new ConfigurationException(file, reader._line, string.Empty, "invalid YAML: the parser could not make sense of the text at or after this line.", ex);
        }
    }

    private ConfigNode ReadStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.Accept<StreamEnd>(out _))
        {
            throw Empty(1);
        }

        var start = _parser.Consume<DocumentStart>();
        var root = ReadNode(string.Empty, depth: 0);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
        {
            throw new ConfigurationException(_file, (int)second.Start.Line, string.Empty, "a second YAML document starts here; a configuration is one document.");
        }

        return root.IsNull ? throw Empty((int)start.Start.Line) : root;
    }

    private ConfigurationException Empty(int line) =>
        new(_file, line, string.Empty, "the configuration is empty (no keys); write at least 'experiment_id' and 'expansions'.");

    private ConfigNode ReadNode(string path, int depth)
    {
        var current = _parser.Current ?? throw new ConfigurationException(_file, _line, path, "invalid YAML: the file ends in the middle of a value.");
        int line = _line = (int)current.Start.Line;
        ConfigNode node;
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                return _anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new ConfigurationException(_file, line, path, $"the alias '*{alias.Value.Value}' names no anchor defined above it.");
            case Scalar scalar:
                _parser.MoveNext();
                node = Scalar(scalar, line, path);
                break;
            case SequenceStart sequence:
                CheckDepth(depth, line, path);
                _parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!_parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode($"{path}[{items.Count}]", depth + 1));
                }

                node = new ConfigSequence(_file, line, path, items);
                Remember(sequence.Anchor, node);
                return node;
            case MappingStart mapping:
                CheckDepth(depth, line, path);
                _parser.MoveNext();
                node = ReadMapping(line, path, depth);
                Remember(mapping.Anchor, node);
                return node;
            default:
                throw new ConfigurationException(_file, line, path, "invalid YAML: unexpected content here.");
        }

        Remember(((NodeEvent)current).Anchor, node);
        return node;
    }

    private ConfigMapping ReadMapping(int line, string path, int depth)
    {
        var entries = new List<KeyValuePair<string, ConfigNode>>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var merged = new List<ConfigNode>();
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current!;
            int keyLine = (int)keyEvent.Start.Line;
            if (keyEvent is not Scalar { Value: var key } keyScalar || (keyScalar.Style == ScalarStyle.Plain && key is "" or "~" or "null"))
            {
                throw new ConfigurationException(_file, keyLine, path, "keys must be plain strings.");
            }

            _parser.MoveNext();
            string keyPath = path.Length == 0 ? key : $"{path}.{key}";
            if (key == "<<" && keyScalar.Style == ScalarStyle.Plain)
            {
                merged.Add(ReadNode(keyPath, depth + 1));
                continue;
            }

            if (!seen.TryAdd(key, keyLine))
            {
                throw new ConfigurationException(_file, keyLine, keyPath, $"duplicate key (first at line {seen[key]}).");
            }

            entries.Add(new(key, ReadNode(keyPath, depth + 1)));
        }

        foreach (var source in merged.SelectMany(m => m is ConfigSequence s ? s.Items : [m]))
        {
            if (source is not ConfigMapping from)
            {
                throw source.Error("a merge key ('<<') takes a mapping or a list of mappings.");
            }

            entries.AddRange(from.Entries.Where(e => seen.TryAdd(e.Key, e.Value.Line)));
        }

        return new ConfigMapping(_file, line, path, entries);
    }

    private ConfigScalar Scalar(Scalar scalar, int line, string path)
    {
        bool quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
        string tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;
        bool isString = quoted || tag is "tag:yaml.org,2002:str" or "!!str";
        bool isNull = !isString && (tag is "tag:yaml.org,2002:null" or "!!null" || scalar.Value is "" or "~" or "null" or "Null" or "NULL");
        return new ConfigScalar(_file, line, path, isNull ? null : scalar.Value, isString);
    }

    private void CheckDepth(int depth, int line, string path)
    {
        if (depth >= ConfigLimits.MaxDepth)
        {
            // The path of a runaway nesting is mostly "[0][0]..."; name where it starts.
            int index = path.IndexOf("[0][0]", StringComparison.Ordinal);
            throw new ConfigurationException(_file, line, index > 0 ? path[..index] + "[0]..." : path, $"nesting deeper than {ConfigLimits.MaxDepth} levels.");
        }
    }

    private void Remember(AnchorName anchor, ConfigNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
    }
}
