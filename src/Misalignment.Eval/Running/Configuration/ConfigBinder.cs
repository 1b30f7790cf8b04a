using System.Globalization;
using System.Numerics;

namespace Misalignment.Eval.Running;

/// <summary>
/// Typed reads of <see cref="ConfigNode"/>s, with errors naming file, line and key, and (capped) warnings for unknown
/// keys. <c>null</c> where a mapping or a list is expected (a key that holds only comments) reads as empty.
/// </summary>
internal sealed class ConfigBinder
{
    private readonly List<string> _warnings = [];
    private int _unwarned;
    private string? _file;

    /// <summary>The warnings: the first <see cref="ConfigLimits.MaxWarnings"/>, then one line counting the rest.</summary>
    public IReadOnlyList<string> Warnings => _unwarned == 0
        ? [.. _warnings]
        : [.. _warnings, $"{_file}: {_unwarned} more keys not used by Misalignment.Eval were ignored."];

    private static string OneLine(string text) =>
        text.Any(char.IsControl)
            ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()))
            : text;

    public void Warn(ConfigNode at, string warning)
    {
        if (_warnings.Count < ConfigLimits.MaxWarnings)
        {
            // One warning is one line: a key written with control characters (a quoted YAML key holding a newline) shows them escaped.
            _warnings.Add(OneLine($"{at.File}:{at.Line}: {warning}"));
        }
        else
        {
            _file = at.File;
            _unwarned++;
        }
    }

    public static ConfigMapping Mapping(ConfigNode node) => node switch
    {
        ConfigMapping mapping => mapping,
        { IsNull: true } => new ConfigMapping(node.File, node.Line, node.Path, []),
        _ => throw node.Error($"expected a mapping of keys to values, found {Describe(node)}."),
    };

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
                Warn(value, $"key '{value.Path}' is not used by Misalignment.Eval and was ignored.");
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

    /// <summary>A booleans as PyYAML reads it (YAML 1.1): true/false, yes/no, on/off, in lower, title or upper case.</summary>
    public static bool TryBool(string? text, out bool value)
    {
        (bool known, value) = text switch
        {
            "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => (true, true),
            "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => (true, false),
            _ => (false, false),
        };
        return known;
    }

    public static bool Bool(ConfigNode node) =>
        node is ConfigScalar scalar && TryBool(scalar.Value, out bool value)
            ? value
            : throw node.Error($"expected true or false, found {Describe(node)}.");

    public static int Int(ConfigNode node, int min, int max = int.MaxValue) => (int)Long(node, min, max);

    public static long Long(ConfigNode node, long min, long max)
    {
        string? text = node is ConfigScalar { IsString: false } scalar ? scalar.Value?.Replace("_", string.Empty, StringComparison.Ordinal) : null;
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw node.Error($"expected a whole number, found {Describe(node)}.");
        }

        return value < min ? throw node.Error($"must be at least {min}, found {value}.")
            : value > max ? throw node.Error($"must be at most {max}, found {value}.")
            : (long)value;
    }

    public static double Double(ConfigNode node, double min, double max)
    {
        string? text = node is ConfigScalar { IsString: false } scalar ? scalar.Value : null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value >= min && value <= max ? value : throw node.Error($"must be between {min} and {max}, found {value.ToString(CultureInfo.InvariantCulture)}.")
            : throw node.Error($"expected a number, found {Describe(node)}.");
    }

    /// <summary>A list of strings; one string stands for a list of one, null for an empty list.</summary>
    public static List<string> StringList(ConfigNode node) => Items(node, "a list of strings").Select(RequiredString).ToList();

    /// <summary>A list of model names: like <see cref="StringList"/>, but a number or boolean is an error, not a name.</summary>
    public static List<string> ModelList(ConfigNode node) => Items(node, "a list of model names").Select(ModelName).ToList();

    public static string ModelName(ConfigNode node) => node switch
    {
        ConfigScalar { IsNumber: true } or ConfigScalar { IsBool: true } => throw node.Error($"expected a model name, found {Describe(node)} (quote it if it is a name)."),
        _ => RequiredString(node),
    };

    /// <summary>A list of names parsed by <paramref name="tryParse"/>; an unknown name is an error listing the valid ones.</summary>
    public static List<T> List<T>(ConfigNode node, TryParse<T> tryParse, string what, string valid) =>
        [.. Items(node, "a list").Select(item => tryParse(RequiredString(item), out var value)
            ? value
            : throw item.Error($"unknown {what} '{Shorten(String(item))}'; expected one of {valid}."))];

    public static Dictionary<string, T> Map<T>(ConfigNode node, Func<ConfigNode, T> read)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in Mapping(node).Entries)
        {
            result[key] = read(value);
        }

        return result;
    }

    /// <summary>The items of a list: a sequence's items, one scalar as a list of one, null as none.</summary>
    public static IReadOnlyList<ConfigNode> Items(ConfigNode node, string expected) => node switch
    {
        ConfigSequence sequence => sequence.Items,
        { IsNull: true } => [],
        ConfigScalar scalar => [scalar],
        _ => throw node.Error($"expected {expected}, found {Describe(node)}."),
    };

    public static string Describe(ConfigNode node) => node switch
    {
        ConfigMapping => "a mapping",
        ConfigSequence => "a list",
        ConfigScalar { Value: null } => "null",
        ConfigScalar { IsString: true } s => $"the string \"{Shorten(s.Value)}\"",
        ConfigScalar { IsNumber: true } s => $"the number {Shorten(s.Value)}",
        ConfigScalar s => $"'{Shorten(s.Value)}'",
        _ => "a value",
    };

    /// <summary>A value as shown in a message: at most 60 characters, on one line.</summary>
    public static string Shorten(string? value)
    {
        string text = (value ?? string.Empty).ReplaceLineEndings(" ");
        return text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
    }
}

/// <summary>A parse that reports success, e.g. <c>ConditionAxes.TryParseGoalType</c>.</summary>
internal delegate bool TryParse<T>(string text, out T value);
