using System.Text.Json;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>
/// Turns <see cref="JsonException"/> messages of typed JSON reading (store lines, pack manifests, variable and goal
/// files, reference results) into words a user knows: the key at fault and what it must hold, never a .NET type or
/// member name (<c>System.Nullable`1[System.Int32]</c>, "could not be mapped to any .NET member").
/// </summary>
internal static partial class JsonMessages
{
    /// <summary>What is wrong, e.g. <c>key 'sampleIndex': expected a whole number.</c>; callers add the file and line.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>One sentence.</returns>
    public static string Friendly(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string key = Key(exception.Path);
        string at = key.Length > 0 ? $"key '{key}': " : string.Empty;
        string message = exception.Message;
        if (exception is WireNameException wire)
        {
            return $"key '{key}' is {(wire.Text is null ? "null" : $"'{wire.Text}'")}; expected one of {wire.Expected}.";
        }

        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            string name = unmapped.Groups["name"].Value;
            return $"unknown key '{(key.Length > 0 && !key.EndsWith(name, StringComparison.Ordinal) ? $"{key}.{name}" : key.Length > 0 ? key : name)}'.";
        }

        if (Conversion().Match(message) is { Success: true } conversion)
        {
            return $"{at}expected {Kind(conversion.Groups["type"].Value)}.";
        }

        if (NotNull().IsMatch(message))
        {
            return $"{at}expected a value, not null.";
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            return $"missing required key(s) {missing.Groups["names"].Value.TrimEnd('.')}{(key.Length > 0 ? $" in '{key}'" : string.Empty)}.";
        }

        // A reader's syntax error (its text names no types; its location is said in words) or a message of this library's own.
        string text = Location().Replace(message, string.Empty).Trim();
        text = text.EndsWith('.') ? text : text + ".";
        return exception.BytePositionInLine is { } column ? $"invalid JSON at column {column + 1}: {text}" : text;
    }

    /// <summary>A JSON path (<c>$.response.inputTokens</c>, <c>$['odd key']</c>, <c>$.list[0]</c>) as a dotted key.</summary>
    private static string Key(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        string key = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return Quoted().Replace(key, m => "." + m.Groups["name"].Value).TrimStart('.');
    }

    private static string Kind(string type)
    {
        if (NullableOf().Match(type) is { Success: true } nullable)
        {
            type = nullable.Groups["inner"].Value;
        }

        if (typeof(JsonMessages).Assembly.GetType(type) is { IsEnum: true } enumType)
        {
            return "one of " + string.Join(", ", WireNames.Of(enumType));
        }

        return type switch
        {
            _ when type.Contains("List`1[System.String]", StringComparison.Ordinal) => "a list of strings",
            _ when type.Contains("List`1[System.Int32]", StringComparison.Ordinal) => "a list of whole numbers",
            _ when type.Contains("List`1", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ when type.Contains("Dictionary`2", StringComparison.Ordinal) => "a mapping of keys to values",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.DateTimeOffset" or "System.DateTime" => "a date and time such as 2025-01-02T09:00:00Z",
            _ when type.StartsWith("System.Int", StringComparison.Ordinal) || type.StartsWith("System.UInt", StringComparison.Ordinal) => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            _ => "a mapping of keys to values",
        };
    }

    [GeneratedRegex(@"The JSON property '(?<name>.*)' could not be mapped to any \.NET member")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"The JSON value could not be converted to (?<type>\S+?)\. Path:")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"doesn't allow (?:setting|getting) null values")]
    private static partial Regex NotNull();

    [GeneratedRegex(@"was missing required properties(?: including)?: (?<names>.*)$")]
    private static partial Regex Missing();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex Location();

    [GeneratedRegex(@"\['(?<name>[^']*)'\]")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$")]
    private static partial Regex NullableOf();
}
