using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Misalignment.Eval.Running;

/// <summary>The budgets a provider announces in its rate-limit headers.</summary>
internal enum RateBudgetKind
{
    /// <summary>Requests (OpenAI <c>x-ratelimit-*-requests</c>, Anthropic <c>anthropic-ratelimit-requests-*</c>); a call costs one.</summary>
    Requests,

    /// <summary>Tokens in and out together (OpenAI <c>x-ratelimit-*-tokens</c>, Anthropic <c>anthropic-ratelimit-tokens-*</c>).</summary>
    Tokens,

    /// <summary>Input tokens (Anthropic <c>anthropic-ratelimit-input-tokens-*</c>).</summary>
    InputTokens,

    /// <summary>Output tokens (Anthropic <c>anthropic-ratelimit-output-tokens-*</c>).</summary>
    OutputTokens,
}

/// <summary>What a response announced of one budget; any part may be missing.</summary>
/// <param name="Limit">The budget's size, or <see langword="null"/>.</param>
/// <param name="Remaining">What is left of it (never more than <paramref name="Limit"/>), or <see langword="null"/>.</param>
/// <param name="ResetAt">When it is restored in full, or <see langword="null"/>.</param>
internal readonly record struct AnnouncedBudget(long? Limit, long? Remaining, DateTimeOffset? ResetAt);

/// <summary>
/// Reads the rate-limit headers of OpenAI (<c>x-ratelimit-limit-requests</c>, <c>-remaining-</c>, <c>-reset-</c>, and the
/// same for <c>tokens</c>; a reset is a duration such as <c>1s</c>, <c>6m0s</c>, <c>20ms</c> or <c>1m30.5s</c>) and of
/// Anthropic (<c>anthropic-ratelimit-requests-limit</c>, <c>-remaining</c>, <c>-reset</c>, and the same for <c>tokens</c>,
/// <c>input-tokens</c> and <c>output-tokens</c>; a reset is an RFC 3339 time). Either form of reset, and a plain number of
/// seconds, is read under either name. A header that is missing, malformed, negative or out of range is left out; reading
/// never throws.
/// </summary>
internal static partial class RateLimitHeaders
{
    private static readonly (RateBudgetKind Kind, string Anthropic, string? OpenAi)[] Names =
    [
        (RateBudgetKind.Requests, "anthropic-ratelimit-requests", "requests"),
        (RateBudgetKind.Tokens, "anthropic-ratelimit-tokens", "tokens"),
        (RateBudgetKind.InputTokens, "anthropic-ratelimit-input-tokens", null),
        (RateBudgetKind.OutputTokens, "anthropic-ratelimit-output-tokens", null),
    ];

    /// <summary>The budgets announced by a response's headers (Anthropic's names first, then OpenAI's), by kind.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">When the response arrived (durations count from it).</param>
    public static IReadOnlyDictionary<RateBudgetKind, AnnouncedBudget> Parse(HttpHeaders headers, DateTimeOffset now)
    {
        var budgets = new Dictionary<RateBudgetKind, AnnouncedBudget>();
        foreach (var (kind, anthropic, openAi) in Names)
        {
            var budget = Read(headers, $"{anthropic}-limit", $"{anthropic}-remaining", $"{anthropic}-reset", now);
            if (budget is null && openAi is not null)
            {
                budget = Read(headers, $"x-ratelimit-limit-{openAi}", $"x-ratelimit-remaining-{openAi}", $"x-ratelimit-reset-{openAi}", now);
            }

            if (budget is { } found)
            {
                budgets[kind] = found;
            }
        }

        return budgets;
    }

    /// <summary>A count: digits only (a fraction is cut off), at most 10^15; a negative value (Azure sends -1) is no count.</summary>
    public static bool TryParseCount(string? text, out long count)
    {
        count = 0;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || !CountPattern().IsMatch(text))
        {
            return false;
        }

        string whole = text.Split('.')[0];
        if (whole.Length > 15)
        {
            return false;
        }

        count = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>When a budget is restored: an RFC 3339 time, a Go-style duration from <paramref name="now"/>, or a number of seconds.</summary>
    public static bool TryParseReset(string? text, DateTimeOffset now, out DateTimeOffset at)
    {
        at = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (Rfc3339().Match(text) is { Success: true } match)
        {
            // .NET reads at most seven digits of a fraction; RFC 3339 allows any number.
            string fraction = match.Groups["fraction"].Value;
            string normal = match.Groups["time"].Value + (fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : string.Empty) + match.Groups["zone"].Value.ToUpperInvariant().Replace("Z", "+00:00", StringComparison.Ordinal);
            return DateTimeOffset.TryParseExact(normal.Replace('t', 'T').Replace(' ', 'T'), ["yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
        }

        if (!TryParseDuration(text, out var delay) || delay > DateTimeOffset.MaxValue - now)
        {
            return false;
        }

        at = now + delay;
        return true;
    }

    /// <summary>
    /// A duration as Go prints one (OpenAI's resets): numbers with units <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>,
    /// <c>us</c>/<c>µs</c>, <c>ns</c>, e.g. <c>6m0s</c>, <c>1m30.5s</c>, <c>20ms</c>; or a plain number of seconds (<c>0</c>, <c>1.5</c>).
    /// </summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        if (PlainSeconds().IsMatch(text))
        {
            return TryFromSeconds(double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), out duration);
        }

        if (!GoDuration().IsMatch(text))
        {
            return false;
        }

        double seconds = 0;
        foreach (Match part in DurationPart().Matches(text))
        {
            double value = double.Parse(part.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            seconds += part.Groups["unit"].Value switch
            {
                "h" => value * 3600,
                "m" => value * 60,
                "s" => value,
                "ms" => value / 1e3,
                "ns" => value / 1e9,
                _ => value / 1e6,
            };
        }

        return TryFromSeconds(seconds, out duration);
    }

    private static AnnouncedBudget? Read(HttpHeaders headers, string limitName, string remainingName, string resetName, DateTimeOffset now)
    {
        long? limit = TryParseCount(First(headers, limitName), out long l) && l > 0 ? l : null;
        long? remaining = TryParseCount(First(headers, remainingName), out long r) ? Math.Min(r, limit ?? r) : null;
        DateTimeOffset? reset = TryParseReset(First(headers, resetName), now, out var at) ? at : null;
        return limit is null && remaining is null && reset is null ? null : new AnnouncedBudget(limit, remaining, reset);
    }

    private static string? First(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>At most ten years: a longer reset is garbage, and a wait for it is capped anyway.</summary>
    private static bool TryFromSeconds(double seconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > 10 * 365.25 * 86_400)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"^[0-9]{1,12}(\.[0-9]{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSeconds();

    [GeneratedRegex(@"^([0-9]{1,12}(\.[0-9]{1,9})?(h|m|s|ms|us|µs|μs|ns))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"(?<value>[0-9]{1,12}(\.[0-9]{1,9})?)(?<unit>h|ms|m|s|us|µs|μs|ns)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^(?<time>[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2})(\.(?<fraction>[0-9]{1,18}))?(?<zone>[Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
