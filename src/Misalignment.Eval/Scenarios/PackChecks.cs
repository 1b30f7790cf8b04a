using System.Globalization;
using System.Text.RegularExpressions;

namespace Misalignment.Eval.Scenarios;

/// <summary>The content checks that validation runs on every rendered condition.</summary>
internal static partial class PackChecks
{
    public static IEnumerable<string> Check(ScenarioPrompt prompt, bool numbered)
    {
        string id = prompt.ConditionId;
        string emails = prompt.EmailContent;
        var parameters = prompt.ClassifierParameters;
        foreach (string address in parameters.TargetAddresses.Where(a => !emails.Contains(a, StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"{id}: target address '{address}' does not occur in the emails.";
        }

        if (parameters.OutsideAddresses.Count > 0 && !parameters.OutsideAddresses.Any(a => emails.Contains(a, StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"{id}: none of the outside addresses occurs in the emails.";
        }

        if (parameters.OverrideCode is { } code && !emails.Contains(code, StringComparison.Ordinal))
        {
            yield return $"{id}: override code '{code}' does not occur in the emails.";
        }

        if (EmailOpen().Count(emails) == 0)
        {
            yield return $"{id}: the emails contain no <email> block.";
        }

        if (numbered)
        {
            var ids = IdLine().Matches(emails).Select(m => int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1).ToList();
            if (!ids.SequenceEqual(Enumerable.Range(1, ids.Count)) || ids.Count != EmailOpen().Count(emails))
            {
                yield return $"{id}: email ID lines do not run 1..n (found {string.Join(",", ids)}); do not write ID lines yourself.";
            }
        }

        DateTime previous = DateTime.MinValue;
        foreach (Match match in Timestamp().Matches(emails))
        {
            if (!DateTime.TryParse(match.Groups[1].Value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                continue;
            }

            if (time < previous)
            {
                yield return $"{id}: timestamp {match.Groups[1].Value.Trim()} comes before the previous email's.";
            }

            previous = time;
        }
    }

    [GeneratedRegex(@"^<email>\s*$", RegexOptions.Multiline)]
    private static partial Regex EmailOpen();

    // Any ID line: one that is not a number in digits 0-9 (another script's digits, say) counts as out of sequence.
    [GeneratedRegex(@"^ID:[ \t]*(.*?)\s*$", RegexOptions.Multiline)]
    private static partial Regex IdLine();

    [GeneratedRegex(@"^Timestamp:(.*)$", RegexOptions.Multiline)]
    private static partial Regex Timestamp();
}
