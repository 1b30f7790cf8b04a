using System.Globalization;

namespace Misalignment.Eval;

/// <summary>
/// How cost and tokens are written wherever they are shown (reports, the end of a run, a resume): every amount with
/// the number of samples behind it, and samples without a cost counted apart, never shown as $0.
/// </summary>
internal static class UsageText
{
    /// <summary>An amount in USD, e.g. <c>$1,234.5678</c>.</summary>
    public static string Usd(double usd) => "$" + usd.ToString("#,##0.0000", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>$X over N priced samples of M (prices as of DATE)</c>, with the unpriced ones named; or, when none was priced,
    /// that the cost is not known.
    /// </summary>
    /// <param name="usage">The samples' tally.</param>
    /// <param name="pricesAsOf">The price table's date, if known.</param>
    public static string Cost(UsageTally usage, string? pricesAsOf)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Priced == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"not known: none of the {usage.Samples:N0} samples has a cost (no price for its model, no usage reported, or the call failed)");
        }

        string unpriced = usage.Unpriced == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; {usage.Unpriced:N0} without a cost (no price for the model, no usage reported, or the call failed) not included");
        return string.Create(CultureInfo.InvariantCulture, $"{Usd(usage.CostUsd)} over {usage.Priced:N0} priced samples of {usage.Samples:N0} (prices as of {pricesAsOf ?? "an unrecorded date"}{unpriced})");
    }

    /// <summary>
    /// <c>T input tokens (C% read from the prompt cache, W% written to it) and O output tokens over N samples that
    /// reported usage</c>.
    /// </summary>
    /// <param name="usage">The samples' tally.</param>
    public static string Tokens(UsageTally usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.WithUsage == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"none of the {usage.Samples:N0} samples reported usage");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{usage.InputTokens:N0} input tokens ({CacheShares(usage)}) and {usage.OutputTokens:N0} output tokens over {usage.WithUsage:N0} samples that reported usage");
    }

    /// <summary><c>C% read from the prompt cache, W% written to it</c> (of the input tokens).</summary>
    /// <param name="usage">The samples' tally.</param>
    public static string CacheShares(UsageTally usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return usage.InputTokens == 0 ? "no input tokens"
            : usage.WithCacheCounts == 0 ? "no prompt-cache reads or writes reported"
            : string.Create(CultureInfo.InvariantCulture, $"{usage.CachedShare * 100:0.0}% read from the prompt cache, {usage.WriteShare * 100:0.0}% written to it");
    }
}
