using System.Text.Json;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>
/// Turns a System.Text.Json failure into words for the user: the key at fault and what it must hold, never a .NET
/// type or member name (<c>System.Nullable`1[System.Int32]</c>, "could not be mapped to any .NET member").
/// </summary>
internal static partial class JsonErrors
{
    /// <summary>What is wrong, e.g. <c>key 'sampleIndex' must be a whole number</c> or <c>unknown key 'numberEmail'</c>.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>One line, without a location (callers add the file and line).</returns>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string message = exception.Message;
        string key = Key(exception.Path);
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            string name = unmapped.Groups["name"].Value;
            string parent = key.EndsWith(name, StringComparison.Ordinal) ? key[..^name.Length].TrimEnd('.') : key;
            return $"unknown key '{(parent.Length > 0 ? parent + "." : string.Empty)}{name}'";
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            return $"missing required key(s) {missing.Groups["names"].Value.TrimEnd('.')}{(key.Length > 0 ? $" in '{key}'" : string.Empty)}";
        }

        if (NotNull().IsMatch(message))
        {
            return key.Length == 0 ? "must not be null" : $"key '{key}' must not be null";
        }

        if (Conversion().Match(message) is { Success: true } conversion)
        {
            string expected = Expected(conversion.Groups["type"].Value);
            return key.Length == 0 ? $"must be {expected}" : $"key '{key}' must be {expected}";
        }

        if (exception.LineNumber is null)
        {
            // Thrown by this library with words of its own.
            return message.TrimEnd('.');
        }

        // A syntax error from the reader: its text names no types; only its location suffix is dropped.
        string problem = Location().Replace(message, string.Empty).Trim().TrimEnd('.');
        return exception.BytePositionInLine is { } column
            ? $"invalid JSON at column {column + 1}: {problem}"
            : $"invalid JSON: {problem}";
    }

    /// <summary>A JSON path (<c>$.response.inputTokens</c>, <c>$['odd key']</c>) as a dotted key.</summary>
    private static string Key(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        string key = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return Bracketed().Replace(key, m => "." + m.Groups["name"].Value).TrimStart('.');
    }

    private static string Expected(string type)
    {
        if (NullableOf().Match(type) is { Success: true } nullable)
        {
            type = nullable.Groups["inner"].Value;
        }

        if (typeof(JsonErrors).Assembly.GetType(type) is { IsEnum: true } enumType)
        {
            return "one of " + string.Join(", ", Enum.GetNames(enumType).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)));
        }

        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" or "System.Byte" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.DateTimeOffset" or "System.DateTime" => "a date and time such as 2025-01-02T09:00:00Z",
            _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("Enumerable", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"The JSON property '(?<name>.*)' could not be mapped to any \.NET member")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"was missing required properties(?: including)?: (?<names>.*)$")]
    private static partial Regex Missing();

    [GeneratedRegex(@"The JSON value could not be converted to (?<type>\S+?)\. Path:")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"doesn't allow (?:setting|getting) null values")]
    private static partial Regex NotNull();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex Location();

    [GeneratedRegex(@"\['(?<name>[^']*)'\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$")]
    private static partial Regex NullableOf();
}
