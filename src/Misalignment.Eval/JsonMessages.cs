using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>Turns <see cref="JsonException"/> messages of typed JSON reading into words a user knows (no .NET type or member names).</summary>
internal static class JsonMessages
{
    public static string Friendly(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string key = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : string.Empty;
        string message = exception.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            int open = message.IndexOf('\'', StringComparison.Ordinal);
            int close = open < 0 ? -1 : message.IndexOf('\'', open + 1);
            string name = close > open ? message[(open + 1)..close] : key;
            return $"unknown key '{(key.Length > 0 && !key.EndsWith(name, StringComparison.Ordinal) ? $"{key}.{name}" : key.Length > 0 ? key : name)}'.";
        }

        if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            string type = message["The JSON value could not be converted to ".Length..].Split(". Path:")[0];
            return $"{(key.Length > 0 ? $"key '{key}': " : string.Empty)}expected {Kind(type)}.";
        }

        int at = message.IndexOf(" Path: ", StringComparison.Ordinal) is >= 0 and var p ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at > 0 ? message[..at].TrimEnd() : message;
    }

    private static string Kind(string type) => type switch
    {
        _ when type.Contains("List`1[System.String]", StringComparison.Ordinal) => "a list of strings",
        _ when type.Contains("List`1[System.Int32]", StringComparison.Ordinal) => "a list of whole numbers",
        _ when type.Contains("List`1", StringComparison.Ordinal) => "a list",
        _ when type.Contains("System.String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("System.Int", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("System.Double", StringComparison.Ordinal) => "a number",
        _ => "a mapping of keys to values",
    };
}
