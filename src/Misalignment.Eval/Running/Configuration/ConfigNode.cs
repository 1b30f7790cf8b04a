using System.Text.RegularExpressions;

namespace Misalignment.Eval.Running;

/// <summary>A configuration value with its position, read from YAML or JSON, so errors can name file, line and key.</summary>
internal abstract record ConfigNode(string File, int Line, string Path)
{
    public ConfigurationException Error(string problem) => new(File, Line, Path, problem);

    /// <summary>Whether this is <c>null</c> (YAML <c>null</c>, <c>~</c> or nothing at all, e.g. a key that holds only comments).</summary>
    public bool IsNull => this is ConfigScalar { Value: null };
}

/// <summary>
/// A scalar; <see cref="Value"/> is null for YAML <c>null</c>/<c>~</c>/empty and JSON <c>null</c>. <c>IsString</c>
/// tells whether the scalar is a string for certain: quoted, a block scalar, or a JSON string.
/// </summary>
internal sealed partial record ConfigScalar(string File, int Line, string Path, string? Value, bool IsString) : ConfigNode(File, Line, Path)
{
    /// <summary>Whether a plain (unquoted) scalar reads as a number, as YAML and JSON would type it.</summary>
    public bool IsNumber => !IsString && Value is not null && Number().IsMatch(Value);

    /// <summary>Whether a plain scalar reads as a boolean (YAML 1.1, as PyYAML reads it: true/false, yes/no, on/off).</summary>
    public bool IsBool => !IsString && ConfigBinder.TryBool(Value, out _);

    [GeneratedRegex(@"^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$|^0x[0-9a-fA-F_]+$|^0o[0-7_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}

internal sealed record ConfigSequence(string File, int Line, string Path, IReadOnlyList<ConfigNode> Items) : ConfigNode(File, Line, Path);

internal sealed record ConfigMapping(string File, int Line, string Path, IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries) : ConfigNode(File, Line, Path)
{
    public ConfigNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}
