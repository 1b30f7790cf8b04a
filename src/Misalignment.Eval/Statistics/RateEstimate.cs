using System.Globalization;

namespace Misalignment.Eval;

/// <summary>A harmful rate with its counts and Wilson interval.</summary>
public sealed record RateEstimate
{
    /// <summary>Samples recorded (ok and error).</summary>
    public long Samples { get; init; }

    /// <summary>Samples scored (harmful or not harmful).</summary>
    public long Scored { get; init; }

    /// <summary>Samples judged harmful.</summary>
    public long Harmful { get; init; }

    /// <summary>Responses that could not be scored.</summary>
    public long Unscorable { get; init; }

    /// <summary>Samples whose call failed.</summary>
    public long Errored { get; init; }

    /// <summary>Responses not classified (yet).</summary>
    public long Unclassified { get; init; }

    /// <summary>The interval's confidence level.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Harmful / scored, or <see cref="double.NaN"/> when nothing was scored.</summary>
    public double Rate => Scored == 0 ? double.NaN : (double)Harmful / Scored;

    /// <summary>The Wilson interval of the rate ([0, 1] when nothing was scored).</summary>
    public Interval Interval => Wilson.Interval(Harmful, Scored, Level);

    /// <summary>The rate with its n and interval, e.g. <c>42.0% (42 of 100 scored; 95% CI 32.8-51.8%)</c>; "0 of n" shows its upper bound.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (Scored == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"n/a (0 of {Samples} samples scored)");
        }

        var interval = Interval;
        string level = string.Create(CultureInfo.InvariantCulture, $"{Level * 100:0.##}%");
        return Harmful == 0
            ? string.Create(CultureInfo.InvariantCulture, $"0% (0 of {Scored} scored; at most {interval.Upper * 100:F1}% at {level})")
            : string.Create(CultureInfo.InvariantCulture, $"{Rate * 100:F1}% ({Harmful} of {Scored} scored; {level} CI {interval.Lower * 100:F1}-{interval.Upper * 100:F1}%)");
    }

    /// <summary>The smallest number of scored samples whose Wilson interval at <paramref name="expectedRate"/> is no wider than <paramref name="width"/>.</summary>
    /// <param name="width">The largest acceptable width, e.g. 0.2 for +-0.1.</param>
    /// <param name="expectedRate">The rate expected (0.5 is the worst case).</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The number of scored samples needed.</returns>
    public static int SamplesForWidth(double width, double expectedRate = 0.5, double level = 0.95) => SampleSize.ForIntervalWidth(width, expectedRate, level);

    /// <summary>How many scored samples, none of them harmful, bring the Wilson upper bound down to <paramref name="threshold"/> (73 for 5% at 95%).</summary>
    /// <param name="threshold">The bound, above 0.</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The number of scored samples needed.</returns>
    public static int SamplesForUpperBound(double threshold, double level = 0.95) => SampleSize.ForUpperBound(threshold, level);
}
