using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>
/// Removes secrets from text before it is recorded or shown. A secret is the value of an environment variable whose
/// name says it holds a key, token, secret or password (e.g. <c>OPENAI_API_KEY</c>), or a value passed to
/// <see cref="Register"/>. Each is removed in every form a server or a library might echo: as given and trimmed of
/// white space, in any letter case, reversed, base64 (standard or URL-safe, at any offset, as inside a
/// <c>Basic</c> header) and hex, and any fragment of at least 8 characters of those (an echoed prefix or suffix).
/// A secret shorter than 8 characters is removed where it stands as a whole word. Independently of known secrets,
/// <c>Bearer</c> and <c>Basic</c> credentials, the user and password of a URL, and key or token query parameters are
/// masked. Every removal leaves <c>***</c>.
/// </summary>
internal static partial class SecretScrubber
{
    private const string Mask = "***";

    /// <summary>The shortest fragment of a secret that counts as an echo of it; a shorter secret is matched as a whole word.</summary>
    private const int Fragment = 8;

    private static readonly string[] SecretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD"];
    private static readonly ConcurrentDictionary<string, byte> Registered = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SecretForms> Forms = new(StringComparer.Ordinal);

    /// <summary>Makes a secret known to <see cref="Scrub(string)"/> for the rest of the process (e.g. an API key read from a file or a config).</summary>
    /// <param name="secret">The secret; white space around it is ignored, an empty one is ignored.</param>
    public static void Register(string? secret)
    {
        if (!string.IsNullOrWhiteSpace(secret))
        {
            Registered.TryAdd(secret.Trim(), 0);
        }
    }

    /// <summary>The text with every known secret and every credential-shaped token replaced.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The scrubbed text.</returns>
    public static string Scrub(string text) => Scrub(text, EnvironmentSecrets().Concat(Registered.Keys));

    /// <summary>The text with the given secrets (in all their forms) and every credential-shaped token replaced.</summary>
    /// <param name="text">The text.</param>
    /// <param name="secrets">The secrets to remove.</param>
    /// <returns>The scrubbed text.</returns>
    public static string Scrub(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = RedactCredentials(text);
        foreach (string secret in secrets.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.Ordinal))
        {
            var forms = Forms.GetOrAdd(secret, s => new SecretForms(s));
            foreach (string form in forms.Long)
            {
                text = ScrubFragments(text, form);
            }

            foreach (string form in forms.Short)
            {
                text = ScrubWord(text, form);
            }
        }

        return text;
    }

    /// <summary>The text with the user name and password of every URL in it (<c>http://user:pass@host</c>) replaced by <c>***</c>.</summary>
    /// <param name="text">The text, e.g. a model spec.</param>
    /// <returns>The redacted text.</returns>
    public static string RedactUrls(string text) =>
        string.IsNullOrEmpty(text) ? text : UrlUserInfo().Replace(text, "${scheme}" + Mask + "@");

    /// <summary>
    /// The text with credentials that need no known secret masked: the user and password of a URL
    /// (<c>http://user:pass@host</c>), <c>Bearer</c> and <c>Basic</c> credentials, and key, token or signature query parameters.
    /// </summary>
    /// <param name="text">The text, e.g. an error message.</param>
    /// <returns>The text with those parts replaced by <c>***</c>.</returns>
    public static string RedactCredentials(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = AuthorizationValue().Replace(RedactUrls(text), "${scheme} " + Mask);
        return QueryCredential().Replace(text, "${name}" + Mask);
    }

    private static IEnumerable<string> EnvironmentSecrets()
    {
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && variable.Value is string value
                && SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                yield return value;
            }
        }
    }

    /// <summary>Replaces every run of the text made of overlapping fragments of the form (case-insensitive).</summary>
    private static string ScrubFragments(string text, string form)
    {
        if (text.Length < Fragment)
        {
            return text;
        }

        var grams = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i + Fragment <= form.Length; i++)
        {
            grams.Add(form.Substring(i, Fragment));
        }

        var lookup = grams.GetAlternateLookup<ReadOnlySpan<char>>();
        StringBuilder? output = null;
        int copied = 0, at = 0;
        while (at + Fragment <= text.Length)
        {
            if (!lookup.Contains(text.AsSpan(at, Fragment)))
            {
                at++;
                continue;
            }

            int end = at + Fragment;
            while (end < text.Length && lookup.Contains(text.AsSpan(end + 1 - Fragment, Fragment)))
            {
                end++;
            }

            output ??= new StringBuilder(text.Length);
            output.Append(text, copied, at - copied).Append(Mask);
            copied = at = end;
        }

        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Replaces the form where it stands as a whole word (not inside a longer run of letters and digits).</summary>
    private static string ScrubWord(string text, string form)
    {
        var output = new StringBuilder(text.Length);
        int copied = 0;
        for (int at = text.IndexOf(form, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(form, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            int end = at + form.Length;
            bool alone = (at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
            if (alone && at >= copied)
            {
                output.Append(text, copied, at - copied).Append(Mask);
                copied = end;
            }
        }

        return copied == 0 ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    [GeneratedRegex(@"(?<scheme>\b[a-z][a-z0-9+.\-]*://)[^/\s@#?]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationValue();

    [GeneratedRegex(@"(?<name>[?&;](?:api[-_]?key|key|token|access[-_]?token|secret|password|sig|signature)=)[^&\s#""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryCredential();

    /// <summary>The forms of one secret that are searched for: by fragment when it is long, as whole words when it is short.</summary>
    private sealed class SecretForms
    {
        public SecretForms(string secret)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(secret);
            var forms = new List<string> { secret, new(secret.Reverse().ToArray()), Convert.ToHexString(bytes) };
            if (secret.Length < Fragment)
            {
                forms.Add(Convert.ToBase64String(bytes).TrimEnd('='));
                Short = [.. forms.Distinct(StringComparer.OrdinalIgnoreCase)];
                return;
            }

            for (int offset = 0; offset < 3; offset++)
            {
                // The characters of a base64 text that encode only the secret's bytes do not depend on what precedes
                // it, so this finds the secret inside a longer encoded text (user:key in a Basic header) too.
                int start = (3 - offset) % 3;
                int whole = (bytes.Length - start) / 3 * 3;
                string base64 = Convert.ToBase64String(bytes, start, whole);
                forms.Add(base64);
                forms.Add(base64.Replace('+', '-').Replace('/', '_'));
            }

            Long = [.. forms.Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        public IReadOnlyList<string> Long { get; } = [];

        public IReadOnlyList<string> Short { get; } = [];
    }
}
