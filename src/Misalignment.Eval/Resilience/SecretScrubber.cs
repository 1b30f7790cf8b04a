namespace Misalignment.Eval;

/// <summary>
/// Removes secrets from text before it is recorded or shown: the values of environment variables whose names say
/// they hold a key, token or secret (e.g. <c>OPENAI_API_KEY</c>) are replaced by <c>***</c>.
/// </summary>
internal static partial class SecretScrubber
{
    private static readonly string[] SecretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD"];

    /// <summary>The text with every secret value replaced.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The scrubbed text.</returns>
    public static string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && variable.Value is string value && value.Length >= 8
                && SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return RedactUrls(text);
    }

    /// <summary>The text with the user name and password of every URL in it (<c>http://user:pass@host</c>) replaced by <c>***</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The redacted text.</returns>
    public static string RedactUrls(string text) =>
        string.IsNullOrEmpty(text) ? text : UrlUserInfo().Replace(text, "$1***@");

    [System.Text.RegularExpressions.GeneratedRegex(@"(\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@]+@", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex UrlUserInfo();
}
