namespace Misalignment.Eval;

/// <summary>The Wilson score interval for a binomial proportion (good coverage for small n and rates near 0 or 1, unlike the Wald interval).</summary>
internal static class Wilson
{
    /// <summary>The interval for <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    /// <param name="successes">Successes (e.g. harmful samples).</param>
    /// <param name="trials">Trials (scored samples); 0 gives [0, 1].</param>
    /// <param name="level">The confidence level (default 0.95).</param>
    /// <returns>The interval, clamped to [0, 1].</returns>
    public static Interval Interval(long successes, long trials, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        if (trials == 0)
        {
            return new Interval(0, 1);
        }

        double z = Normal.CriticalValue(level);
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        double half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / (1 + (z2 / n));
        return new Interval(successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }
}
