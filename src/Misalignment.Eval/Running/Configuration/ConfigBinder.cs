using System.Globalization;

namespace Misalignment.Eval.Running;

/// <summary>Typed reads of <see cref="ConfigNode"/>s, with errors naming file, line and key, and warnings for unknown keys.</summary>
internal sealed class ConfigBinder
{
    public List<string> Warnings { get; } = [];

    public static ConfigMapping Mapping(ConfigNode node) =>
        node as ConfigMapping ?? throw node.Error($"expected a mapping of keys to values, found {Describe(node)}.");

    /// <summary>Visits each entry; keys without a handler become warnings.</summary>
    public void Each(ConfigNode node, IReadOnlyDictionary<string, Action<ConfigNode>> handlers)
    {
        foreach (var (key, value) in Mapping(node).Entries)
        {
            if (handlers.TryGetValue(key, out var handler))
            {
                handler(value);
            }
            else
            {
                Warnings.Add($"{value.File}:{value.Line}: key '{value.Path}' is not used by Misalignment.Eval and was ignored.");
            }
        }
    }

    public static string? String(ConfigNode node) => node switch
    {
        ConfigScalar scalar => scalar.Value,
        _ => throw node.Error($"expected a string, found {Describe(node)}."),
    };

    public static string RequiredString(ConfigNode node) =>
        String(node) is { Length: > 0 } text ? text : throw node.Error("must not be empty.");

    public static bool Bool(ConfigNode node) => String(node)?.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw node.Error($"expected true or false, found {Describe(node)}."),
    };

    public static int Int(ConfigNode node, int min)
    {
        string? text = node is ConfigScalar { IsString: false } scalar ? scalar.Value : null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value >= min ? value : throw node.Error($"must be at least {min}, found {value}.")
            : throw node.Error($"expected a whole number, found {Describe(node)}.");
    }

    public static double Double(ConfigNode node, double min, double max)
    {
        string? text = node is ConfigScalar { IsString: false } scalar ? scalar.Value : null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value >= min && value <= max ? value : throw node.Error($"must be between {min} and {max}, found {value.ToString(CultureInfo.InvariantCulture)}.")
            : throw node.Error($"expected a number, found {Describe(node)}.");
    }

    public static List<string> StringList(ConfigNode node) => node switch
    {
        ConfigSequence sequence => [.. sequence.Items.Select(RequiredString)],
        ConfigScalar { Value: { } single } => [single],
        _ => throw node.Error($"expected a list of strings, found {Describe(node)}."),
    };

    public static List<T> List<T>(ConfigNode node, Func<string, string, T> parse) =>
        node is ConfigSequence sequence
            ? [.. sequence.Items.Select(item => Parse(item, parse))]
            : [Parse(node, parse)];

    public static Dictionary<string, T> Map<T>(ConfigNode node, Func<ConfigNode, T> read) =>
        Mapping(node).Entries.ToDictionary(e => e.Key, e => read(e.Value), StringComparer.Ordinal);

    private static T Parse<T>(ConfigNode item, Func<string, string, T> parse)
    {
        string where = $"{item.File}:{item.Line}: key '{item.Path}'";
        return parse(RequiredString(item), where);
    }

    private static string Describe(ConfigNode node) => node switch
    {
        ConfigMapping => "a mapping",
        ConfigSequence => "a list",
        ConfigScalar { Value: null } => "null",
        ConfigScalar { IsString: true } s => $"the string \"{s.Value}\"",
        ConfigScalar s => $"'{s.Value}'",
        _ => "a value",
    };
}
