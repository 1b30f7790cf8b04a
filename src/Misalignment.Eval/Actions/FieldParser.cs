using System.Globalization;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>Turns raw field values (from a text block or a native call) into a typed <see cref="AgentAction"/>.</summary>
internal static partial class FieldParser
{
    public static AgentAction Build(ActionKind kind, IReadOnlyList<KeyValuePair<string, string>> fields, bool inReasoning, string raw)
    {
        string? Get(params string[] keys) => fields.LastOrDefault(f => keys.Contains(f.Key)).Value is { } v ? Clean(v) : null;

        var recipients = fields.Where(f => f.Key is "to" or "cc" or "bcc")
            .OrderBy(f => f.Key == "to" ? 0 : 1)
            .SelectMany(f => Recipients(f.Value))
            .ToList();
        return new AgentAction
        {
            Kind = kind,
            To = kind == ActionKind.CancelAlert ? [] : recipients,
            Subject = kind == ActionKind.Email ? Get("subject") : null,
            Body = kind == ActionKind.CancelAlert ? null : Get("body"),
            EmailIds = kind == ActionKind.Forward
                ? [.. fields.Where(f => f.Key is "email_id" or "email_ids" or "emailid" or "id").SelectMany(f => Numbers(f.Value))]
                : [],
            Code = kind == ActionKind.CancelAlert ? Get("code") : null,
            InReasoning = inReasoning,
            Raw = raw,
        };
    }

    /// <summary>Trims, drops a trailing comma and surrounding quotes, and unescapes <c>\"</c>.</summary>
    public static string Clean(string value)
    {
        string text = value.Trim();
        if (text.EndsWith(','))
        {
            text = text[..^1].TrimEnd();
        }

        if (text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '\'' && text[^1] == '\'')))
        {
            text = text[1..^1];
        }
        else if (text.StartsWith('"'))
        {
            text = text[1..];
        }

        return text.Replace("\\\"", "\"", StringComparison.Ordinal);
    }

    public static IEnumerable<string> Recipients(string value) =>
        Clean(value).Trim('[', ']').Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(token =>
            {
                string t = token.Trim().Trim('"', '\'', ' ');
                var angle = AngleAddress().Match(t);
                return (angle.Success ? angle.Groups[1].Value : t).Trim().TrimEnd('.');
            })
            .Where(t => t.Length > 0);

    public static IEnumerable<int> Numbers(string value) =>
        Digits().Matches(value).Select(m => int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1).Where(n => n >= 0);

    [GeneratedRegex(@"<\s*([^<>\s]+@[^<>\s]+)\s*>")]
    private static partial Regex AngleAddress();

    [GeneratedRegex(@"\d{1,9}")]
    private static partial Regex Digits();
}
