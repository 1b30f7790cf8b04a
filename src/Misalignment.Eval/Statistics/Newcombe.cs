namespace Misalignment.Eval;

/// <summary>
/// Newcombe's hybrid score interval (method 10 of Newcombe 1998) for the difference of two independent proportions
/// p1 - p2, built from the two Wilson intervals.
/// </summary>
internal static class Newcombe
{
    /// <summary>The difference and its interval.</summary>
    /// <param name="successes1">Successes in the first group.</param>
    /// <param name="trials1">Trials in the first group.</param>
    /// <param name="successes2">Successes in the second group.</param>
    /// <param name="trials2">Trials in the second group.</param>
    /// <param name="level">The confidence level (default 0.95).</param>
    /// <returns>The estimate p1 - p2 and its interval.</returns>
    public static RateDifference Difference(long successes1, long trials1, long successes2, long trials2, double level = 0.95)
    {
        if (trials1 == 0 || trials2 == 0)
        {
            return new RateDifference(double.NaN, new Interval(-1, 1));
        }

        double p1 = (double)successes1 / trials1;
        double p2 = (double)successes2 / trials2;
        var w1 = Wilson.Interval(successes1, trials1, level);
        var w2 = Wilson.Interval(successes2, trials2, level);
        double d = p1 - p2;
        double lower = d - Math.Sqrt(Square(p1 - w1.Lower) + Square(w2.Upper - p2));
        double upper = d + Math.Sqrt(Square(w1.Upper - p1) + Square(p2 - w2.Lower));
        return new RateDifference(d, new Interval(Math.Max(-1, lower), Math.Min(1, upper)));
    }

    private static double Square(double x) => x * x;
}

/// <summary>A difference of two rates with its confidence interval.</summary>
/// <param name="Estimate">The difference p1 - p2.</param>
/// <param name="Interval">Its interval.</param>
public readonly record struct RateDifference(double Estimate, Interval Interval);
