using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Misalignment.Eval.Running;

/// <summary>Reads YAML into <see cref="ConfigNode"/>s, keeping line numbers.</summary>
internal static class YamlConfigReader
{
    public static ConfigNode Read(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException(file, (int)ex.Start.Line, string.Empty, $"invalid YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        return stream.Documents.Count == 0
            ? new ConfigMapping(file, 1, string.Empty, [])
            : Convert(stream.Documents[0].RootNode, file, string.Empty);
    }

    private static ConfigNode Convert(YamlNode node, string file, string path)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    string key = keyNode is YamlScalarNode { Value: { } k } ? k : throw new ConfigurationException(file, (int)keyNode.Start.Line, path, "keys must be plain strings.");
                    entries.Add(new(key, Convert(valueNode, file, path.Length == 0 ? key : $"{path}.{key}")));
                }

                return new ConfigMapping(file, line, path, entries);
            case YamlSequenceNode sequence:
                return new ConfigSequence(file, line, path, [.. sequence.Children.Select((c, i) => Convert(c, file, $"{path}[{i}]"))]);
            case YamlScalarNode scalar:
                bool quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
                bool isNull = !quoted && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(file, line, path, isNull ? null : scalar.Value, quoted);
            default:
                throw new ConfigurationException(file, line, path, "aliases and tags are not supported here.");
        }
    }
}
