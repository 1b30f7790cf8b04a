using System.Text.Json;
using Misalignment.Eval.Templates;

namespace Misalignment.Eval.Scenarios;

/// <summary>One variable file of a pack: a JSON object of strings (or arrays of strings, joined with new lines).</summary>
internal sealed class VariableSet
{
    private VariableSet(string path, IReadOnlyDictionary<string, string> values)
    {
        Path = path;
        Values = values;
    }

    /// <summary>The pack-relative path, e.g. <c>variables/america.json</c>.</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, string> Values { get; }

    public static VariableSet Empty(string path) => new(path, new Dictionary<string, string>());

    public static VariableSet Load(PackFiles files, string path, IReadOnlyCollection<string> reserved)
    {
        string where = files.Describe(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(files.ReadText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ScenarioPackException(where, (int)(ex.LineNumber ?? -1) + 1, JsonMessages.Friendly(ex), ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioPackException(where, 0, "must be a JSON object of variable names to strings.");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Templates.Template.IsValidName(property.Name))
                {
                    throw new ScenarioPackException(where, 0, $"key '{property.Name}' is not a valid variable name (letters, digits, '_' and '.', starting with a letter or '_').");
                }

                if (reserved.Contains(property.Name))
                {
                    throw new ScenarioPackException(where, 0, $"key '{property.Name}' is reserved: the engine provides it.");
                }

                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!.ReplaceLineEndings("\n"),
                    JsonValueKind.Array when property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                        string.Join("\n", property.Value.EnumerateArray().Select(e => e.GetString()!.ReplaceLineEndings("\n"))),
                    _ => throw new ScenarioPackException(where, 0, $"key '{property.Name}' must be a string or an array of strings, not {property.Value.ValueKind}."),
                };
            }

            return new VariableSet(path, values);
        }
    }
}
