namespace Misalignment.Eval;

/// <summary>
/// Removes secrets from text before it is recorded or shown: the values of environment variables whose names say
/// they hold a key, token or secret (e.g. <c>OPENAI_API_KEY</c>) are replaced by <c>***</c>.
/// </summary>
public static class SecretScrubber
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

        return text;
    }
}
