using System.Text;
using System.Text.Json;

namespace Misalignment.Eval.Running;

/// <summary>
/// Reads JSON into <see cref="ConfigNode"/>s, keeping line numbers (which <c>JsonDocument</c> does not). Duplicate
/// keys, content after the value and nesting beyond <see cref="ConfigLimits.MaxDepth"/> are errors.
/// </summary>
internal static class JsonConfigReader
{
    public static ConfigNode Read(string text, string file) => Read(text, file, out _);

    /// <summary>Reads the JSON; <paramref name="lines"/> tells how much work finding line numbers took.</summary>
    public static ConfigNode Read(string text, string file, out LineCounter lines)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        lines = new LineCounter(bytes);
        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = ConfigLimits.MaxDepth };
        var reader = new Utf8JsonReader(bytes, options);
        try
        {
            if (!reader.Read())
            {
                throw new ConfigurationException(file, 1, string.Empty, "the configuration is empty.");
            }

            var root = ReadValue(ref reader, lines, file, string.Empty);
            if (reader.Read())
            {
                throw new ConfigurationException(file, lines.LineAt(reader.TokenStartIndex), string.Empty, "invalid JSON: more content after the configuration's closing brace.");
            }

            return root;
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException(file, (int)(ex.LineNumber ?? 0) + 1, string.Empty, $"invalid JSON: {Describe(ex)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString refuses escapes that make invalid UTF-16 (a lone surrogate).
            throw new ConfigurationException(file, lines.LineAt(reader.TokenStartIndex), string.Empty, "invalid JSON: a string holds an invalid \\u escape (a lone surrogate).", ex);
        }
    }

    private static ConfigNode ReadValue(ref Utf8JsonReader reader, LineCounter lines, string file, string path)
    {
        int line = lines.LineAt(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    string keyPath = path.Length == 0 ? key : $"{path}.{key}";
                    int keyLine = lines.LineAt(reader.TokenStartIndex);
                    if (!seen.TryAdd(key, keyLine))
                    {
                        throw new ConfigurationException(file, keyLine, keyPath, $"duplicate key (first at line {seen[key]}).");
                    }

                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, lines, file, keyPath)));
                }

                return new ConfigMapping(file, line, path, entries);
            case JsonTokenType.StartArray:
                var items = new List<ConfigNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lines, file, $"{path}[{items.Count}]"));
                }

                return new ConfigSequence(file, line, path, items);
            case JsonTokenType.String:
                return new ConfigScalar(file, line, path, reader.GetString(), IsString: true);
            case JsonTokenType.Null:
                return new ConfigScalar(file, line, path, null, IsString: false);
            default:
                return new ConfigScalar(file, line, path, Encoding.UTF8.GetString(reader.ValueSpan), IsString: false);
        }
    }

    /// <summary>The reader's message without its position suffix (the line is already in front).</summary>
    private static string Describe(JsonException ex)
    {
        string message = ex.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = at > 0 ? message[..at].TrimEnd() : message;
        return ex.BytePositionInLine is { } column ? $"{message} (column {column + 1})" : message;
    }
}
