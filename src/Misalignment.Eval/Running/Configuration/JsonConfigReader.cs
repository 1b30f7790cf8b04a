using System.Text;
using System.Text.Json;

namespace Misalignment.Eval.Running;

/// <summary>Reads JSON into <see cref="ConfigNode"/>s, keeping line numbers (which <c>JsonDocument</c> does not).</summary>
internal static class JsonConfigReader
{
    public static ConfigNode Read(string text, string file)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
            {
                return new ConfigMapping(file, 1, string.Empty, []);
            }

            return ReadValue(ref reader, bytes, file, string.Empty);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException(file, (int)(ex.LineNumber ?? -1) + 1, string.Empty, $"invalid JSON: {ex.Message}", ex);
        }
    }

    private static ConfigNode ReadValue(ref Utf8JsonReader reader, byte[] bytes, string file, string path)
    {
        int line = LineOf(bytes, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, bytes, file, path.Length == 0 ? key : $"{path}.{key}")));
                }

                return new ConfigMapping(file, line, path, entries);
            case JsonTokenType.StartArray:
                var items = new List<ConfigNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, bytes, file, $"{path}[{items.Count}]"));
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

    private static int LineOf(byte[] bytes, long index)
    {
        int line = 1;
        for (long i = 0; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
            }
        }

        return line;
    }
}
