using System.Text.RegularExpressions;

namespace Misalignment.Eval.Cli;

/// <summary>Rewrites the command-line parser's messages that name .NET types into words a user knows.</summary>
internal static partial class CliMessages
{
    public static string Friendly(string message) => ParseFailure().Replace(message, m =>
    {
        string expected = m.Groups["type"].Value switch
        {
            var t when t.Contains("Int32", StringComparison.Ordinal) || t.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            var t when t.Contains("Double", StringComparison.Ordinal) || t.Contains("Single", StringComparison.Ordinal) || t.Contains("Decimal", StringComparison.Ordinal) => "a number",
            var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ => "a valid value",
        };
        return $"{m.Groups["name"].Value}: '{m.Groups["value"].Value}' is not {expected}.";
    });

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*?)' for (?:option|argument|command) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.", RegexOptions.CultureInvariant)]
    private static partial Regex ParseFailure();
}
