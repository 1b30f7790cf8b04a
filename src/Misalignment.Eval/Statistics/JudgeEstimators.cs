namespace Misalignment.Eval;

/// <summary>
/// Counts of a verdict against a human label on one scenario, with the store's verdict totals: <c>A</c> verdict
/// harmful and label harmful, <c>B</c> verdict harmful and label not, <c>C</c> verdict not and label harmful, <c>D</c>
/// both not; <c>Harmful</c> and <c>NotHarmful</c> are the verdicts in the whole store (the strata the labelled
/// samples were drawn from).
/// </summary>
internal readonly record struct LabelCounts(long A, long B, long C, long D, long Harmful, long NotHarmful)
{
    public long Labelled => A + B + C + D;
}

/// <summary>An estimate with its interval.</summary>
internal readonly record struct Estimated(double Value, Interval Interval);

/// <summary>Cohen's kappa with its large-sample standard error and interval.</summary>
internal readonly record struct Kappa(double Value, double StandardError, Interval Interval, double ObservedAgreement);

/// <summary>A harmful rate corrected for the verdict's measured error, or why there is none.</summary>
internal sealed record CorrectedRate(double Observed, double? Value, Interval? Interval, double? StandardError, string? Problem);

/// <summary>
/// The estimators that say how far to trust the judge (see docs/classifiers.md, "How far to trust the judge").
/// Labelled samples are taken to be random within each verdict stratum (the labelling sheet draws them so); each
/// labelled sample then stands for <c>N_stratum / n_stratum</c> samples of the store, which makes sensitivity,
/// specificity and kappa estimates of the whole store's, not of the balanced sheet's. With every sample labelled,
/// or a sample proportional to the verdicts, the weights are equal and the formulas are the textbook ones.
/// </summary>
internal static class JudgeEstimators
{
    /// <summary>Cohen's kappa of a 2x2 table (a: both yes, b: first yes only, c: second yes only, d: both no), SE = sqrt(po(1-po)/(n(1-pe)^2)).</summary>
    public static Kappa CohensKappa(double a, double b, double c, double d, double level = 0.95, double? effectiveN = null)
    {
        double n = a + b + c + d;
        if (n <= 0)
        {
            return new Kappa(double.NaN, double.NaN, new Interval(-1, 1), double.NaN);
        }

        double po = (a + d) / n;
        double pe = (((a + b) * (a + c)) + ((c + d) * (b + d))) / (n * n);
        if (pe >= 1)
        {
            // Both raters gave one answer only: kappa is undefined (0/0).
            return new Kappa(double.NaN, double.NaN, new Interval(-1, 1), po);
        }

        double kappa = (po - pe) / (1 - pe);
        double se = Math.Sqrt(po * (1 - po) / ((effectiveN ?? n) * (1 - pe) * (1 - pe)));
        double z = Normal.CriticalValue(level);
        return new Kappa(kappa, se, new Interval(Math.Max(-1, kappa - (z * se)), Math.Min(1, kappa + (z * se))), po);
    }

    /// <summary>Sensitivity: of the samples the labels call harmful, the share the verdict calls harmful (weighted; Wilson at the effective size).</summary>
    public static Estimated Sensitivity(LabelCounts counts, double level = 0.95)
    {
        var (wPositive, wNegative) = Weights(counts);
        return WeightedShare(wPositive * counts.A, wNegative * counts.C, wPositive, counts.A, wNegative, counts.C, level);
    }

    /// <summary>Specificity: of the samples the labels call not harmful, the share the verdict calls not harmful.</summary>
    public static Estimated Specificity(LabelCounts counts, double level = 0.95)
    {
        var (wPositive, wNegative) = Weights(counts);
        return WeightedShare(wNegative * counts.D, wPositive * counts.B, wNegative, counts.D, wPositive, counts.B, level);
    }

    /// <summary>Kappa between verdict and label, on the weighted table (its SE at the Kish effective size).</summary>
    public static Kappa VerdictKappa(LabelCounts counts, double level = 0.95)
    {
        var (wp, wn) = Weights(counts);
        double sum = (wp * (counts.A + counts.B)) + (wn * (counts.C + counts.D));
        double squares = (wp * wp * (counts.A + counts.B)) + (wn * wn * (counts.C + counts.D));
        return CohensKappa(wp * counts.A, wp * counts.B, wn * counts.C, wn * counts.D, level, squares > 0 ? sum * sum / squares : null);
    }

    /// <summary>
    /// The Rogan-Gladen corrected rate (p + Sp - 1) / (Se + Sp - 1), clipped to [0, 1], with a delta-method interval.
    /// Under sampling within verdict strata the estimate equals p·PPV + (1 - p)(1 - NPV), a smooth function of three
    /// independent binomial proportions (p over the store's scored samples, PPV over the labelled verdict-harmful
    /// ones, NPV over the labelled verdict-not-harmful ones); its variance is
    /// (PPV + NPV - 1)²·V(p) + p²·V(PPV) + (1 - p)²·V(NPV), each V the Agresti-Coull variance p̃(1 - p̃)/(n + z²) so that
    /// a perfect 20 of 20 still carries uncertainty.
    /// </summary>
    public static CorrectedRate RoganGladen(LabelCounts counts, double level = 0.95)
    {
        long n = counts.Harmful + counts.NotHarmful;
        if (n == 0)
        {
            return new CorrectedRate(double.NaN, null, null, null, "no scored samples");
        }

        double p = (double)counts.Harmful / n;
        if (counts.Harmful > 0 && counts.A + counts.B == 0)
        {
            return new CorrectedRate(p, null, null, null, "no labelled sample among the verdicts 'harmful': label some to measure the judge's false positives");
        }

        if (counts.NotHarmful > 0 && counts.C + counts.D == 0)
        {
            return new CorrectedRate(p, null, null, null, "no labelled sample among the verdicts 'not harmful': label some to measure the judge's misses");
        }

        double se = Sensitivity(counts, level).Value, sp = Specificity(counts, level).Value;
        double youden = se + sp - 1;
        if (double.IsNaN(youden) || youden <= 0)
        {
            return new CorrectedRate(p, null, null, null, $"the verdict is no better than chance on the labels (Se + Sp - 1 = {(double.IsNaN(youden) ? "undefined" : youden.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))} <= 0): no corrected rate");
        }

        double corrected = Math.Clamp((p + sp - 1) / youden, 0, 1);
        double z = Normal.CriticalValue(level);
        double ppv = counts.A + counts.B == 0 ? 1 : (double)counts.A / (counts.A + counts.B);
        double npv = counts.C + counts.D == 0 ? 1 : (double)counts.D / (counts.C + counts.D);
        double variance = (Math.Pow(ppv + npv - 1, 2) * AgrestiCoullVariance(counts.Harmful, n, z))
            + (counts.Harmful == 0 ? 0 : p * p * AgrestiCoullVariance(counts.A, counts.A + counts.B, z))
            + (counts.NotHarmful == 0 ? 0 : (1 - p) * (1 - p) * AgrestiCoullVariance(counts.D, counts.C + counts.D, z));
        double sd = Math.Sqrt(variance);
        return new CorrectedRate(p, corrected, new Interval(Math.Max(0, corrected - (z * sd)), Math.Min(1, corrected + (z * sd))), sd, null);
    }

    /// <summary>The Agresti-Coull variance of a binomial proportion: p̃(1 - p̃)/(n + z²), p̃ = (x + z²/2)/(n + z²).</summary>
    public static double AgrestiCoullVariance(long successes, long trials, double z)
    {
        double adjusted = trials + (z * z);
        double tilde = (successes + (z * z / 2)) / adjusted;
        return tilde * (1 - tilde) / adjusted;
    }

    /// <summary>The Wilson interval of a proportion at a (possibly fractional) sample size.</summary>
    public static Interval Wilson(double p, double n, double level = 0.95)
    {
        if (n <= 0 || double.IsNaN(p))
        {
            return new Interval(0, 1);
        }

        double z = Normal.CriticalValue(level), z2 = z * z;
        double centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        double half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / (1 + (z2 / n));
        return new Interval(p <= 0 ? 0 : Math.Max(0, centre - half), p >= 1 ? 1 : Math.Min(1, centre + half));
    }

    private static (double Positive, double Negative) Weights(LabelCounts counts)
    {
        long labelledPositive = counts.A + counts.B, labelledNegative = counts.C + counts.D;
        double wp = labelledPositive == 0 ? 0 : Math.Max(counts.Harmful, labelledPositive) / (double)labelledPositive;
        double wn = labelledNegative == 0 ? 0 : Math.Max(counts.NotHarmful, labelledNegative) / (double)labelledNegative;
        return (wp, wn);
    }

    private static Estimated WeightedShare(double hit, double miss, double wHit, long nHit, double wMiss, long nMiss, double level)
    {
        double total = hit + miss;
        if (total <= 0)
        {
            return new Estimated(double.NaN, new Interval(0, 1));
        }

        double squares = (wHit * wHit * nHit) + (wMiss * wMiss * nMiss);
        double effective = total * total / squares;
        double share = hit / total;
        return new Estimated(share, Wilson(share, effective, level));
    }
}
