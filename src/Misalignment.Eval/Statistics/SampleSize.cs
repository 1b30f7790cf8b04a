namespace Misalignment.Eval;

/// <summary>How many samples a condition needs for a given interval width.</summary>
internal static class SampleSize
{
    /// <summary>The smallest n whose Wilson interval at rate <paramref name="expectedRate"/> is no wider than <paramref name="width"/>.</summary>
    /// <param name="width">The largest acceptable width, e.g. 0.2 for +-0.1.</param>
    /// <param name="expectedRate">The rate expected (0.5 is the worst case).</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The number of scored samples needed.</returns>
    public static int ForIntervalWidth(double width, double expectedRate = 0.5, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expectedRate, 1);
        for (int n = 1; n <= 10_000_000; n++)
        {
            long successes = (long)Math.Round(expectedRate * n);
            if (Wilson.Interval(successes, n, level).Width <= width)
            {
                return n;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(width), "No sample size up to 10,000,000 reaches that width.");
    }

    /// <summary>How many scored samples with no harmful one bring the upper bound to the threshold or below.</summary>
    /// <param name="threshold">The threshold, above 0.</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The number of samples.</returns>
    public static int ForUpperBound(double threshold, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        int n = 1;
        while (Wilson.Interval(0, n, level).Upper > threshold)
        {
            n = n < 1_000_000 ? n + 1 : throw new ArgumentOutOfRangeException(nameof(threshold), "No sample size up to 1,000,000 reaches that bound.");
        }

        return n;
    }
}
