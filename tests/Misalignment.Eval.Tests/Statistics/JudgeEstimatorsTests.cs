namespace Misalignment.Eval.Tests.Statistics;

/// <summary>The judge-trust estimators against values computed by hand (z = 1.959964 for 95%).</summary>
public class JudgeEstimatorsTests
{
    // Case 1: every one of 100 samples labelled (equal weights). Verdict x label:
    //   A = 40 (harmful, harmful), B = 10 (harmful, not), C = 5 (not, harmful), D = 45 (not, not); store: 50 harmful, 50 not.
    private static readonly LabelCounts AllLabelled = new(40, 10, 5, 45, 50, 50);

    // Case 2: a balanced sheet of 20 + 20 from a store of 200 harmful and 800 not harmful verdicts.
    //   A = 18, B = 2 (PPV = 0.9), C = 1, D = 19 (NPV = 0.95). Weights: 200/20 = 10 and 800/20 = 40.
    private static readonly LabelCounts Balanced = new(18, 2, 1, 19, 200, 800);

    [Fact]
    public void Sensitivity_AllLabelled_IsTheTextbookShareWithItsWilsonInterval()
    {
        // Se = 40 / 45 = 0.888889; Wilson(40, 45): centre = (p + z²/2n)/(1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n)
        //   = [0.765009, 0.951595].
        var se = JudgeEstimators.Sensitivity(AllLabelled);

        se.Value.Should().BeApproximately(0.888889, 1e-6);
        se.Interval.Lower.Should().BeApproximately(0.765009, 1e-5);
        se.Interval.Upper.Should().BeApproximately(0.951595, 1e-5);
        se.Interval.Should().Be(Wilson.Interval(40, 45), "with equal weights it is the library's Wilson interval");
    }

    [Fact]
    public void Specificity_AllLabelled_IsTheTextbookShareWithItsWilsonInterval()
    {
        // Sp = 45 / 55 = 0.818182; Wilson(45, 55) = [0.696695, 0.898123].
        var sp = JudgeEstimators.Specificity(AllLabelled);

        sp.Value.Should().BeApproximately(0.818182, 1e-6);
        sp.Interval.Lower.Should().BeApproximately(0.696695, 1e-5);
        sp.Interval.Upper.Should().BeApproximately(0.898123, 1e-5);
    }

    [Fact]
    public void Kappa_AllLabelled_MatchesTheHandComputation()
    {
        // n = 100, po = (40 + 45)/100 = 0.85; pe = (50·45 + 50·55)/100² = 0.5; kappa = (0.85 - 0.5)/(1 - 0.5) = 0.70.
        // SE = sqrt(po(1 - po) / (n(1 - pe)²)) = sqrt(0.1275 / 25) = 0.071414; 95%: 0.70 ± 1.959964·0.071414 = [0.560031, 0.839969].
        var kappa = JudgeEstimators.VerdictKappa(AllLabelled);

        kappa.Value.Should().BeApproximately(0.70, 1e-9);
        kappa.StandardError.Should().BeApproximately(0.071414, 1e-6);
        kappa.Interval.Lower.Should().BeApproximately(0.560031, 1e-5);
        kappa.Interval.Upper.Should().BeApproximately(0.839969, 1e-5);
    }

    [Fact]
    public void RoganGladen_AllLabelled_MatchesTheHandComputation()
    {
        // p = 0.5; (p + Sp - 1)/(Se + Sp - 1) = (0.5 + 0.818182 - 1)/(0.888889 + 0.818182 - 1) = 0.318182/0.707071 = 0.45
        //   = p·PPV + (1 - p)(1 - NPV) = 0.5·0.8 + 0.5·0.1.
        // Agresti-Coull variances (p̃ = (x + z²/2)/(n + z²), V = p̃(1 - p̃)/(n + z²)): V(p: 50/100) = 0.00240752,
        //   V(PPV: 40/50) = 0.00320170, V(NPV: 45/50) = 0.00208049.
        // Var = (0.8 + 0.9 - 1)²·0.00240752 + 0.5²·0.00320170 + 0.5²·0.00208049 = 0.00250023; SD = 0.0500023;
        // 95%: 0.45 ± 1.959964·0.0500023 = [0.351997, 0.548003].
        var rate = JudgeEstimators.RoganGladen(AllLabelled);

        rate.Problem.Should().BeNull();
        rate.Observed.Should().Be(0.5);
        rate.Value!.Value.Should().BeApproximately(0.45, 1e-9);
        rate.StandardError!.Value.Should().BeApproximately(0.0500023, 1e-6);
        rate.Interval!.Value.Lower.Should().BeApproximately(0.351997, 1e-5);
        rate.Interval.Value.Upper.Should().BeApproximately(0.548003, 1e-5);
    }

    [Fact]
    public void BalancedSheet_IsReweightedToTheStore()
    {
        // Weighted table: TP = 10·18 = 180, FP = 10·2 = 20, FN = 40·1 = 40, TN = 40·19 = 760 (n = 1000).
        // Se = 180/220 = 0.818182 (raw 18/19 = 0.947 would overstate it: the sheet over-samples harmful verdicts).
        //   Kish effective n = 220² / (10²·18 + 40²·1) = 48400/3400 = 14.2353; Wilson(0.818182, 14.2353) = [0.560343, 0.940788].
        // Sp = 760/780 = 0.974359; effective n = 780²/(40²·19 + 10²·2) = 19.8824; Wilson = [0.797823, 0.997275].
        // kappa: po = 0.94, pe = (200·220 + 800·780)/1000² = 0.668, kappa = 0.272/0.332 = 0.819277;
        //   effective n = 1000²/(10²·20 + 40²·20) = 29.4118; SE = sqrt(0.94·0.06/(29.4118·0.332²)) = 0.131899.
        // Rogan-Gladen: (0.2 + 0.974359 - 1)/(0.818182 + 0.974359 - 1) = 0.22 = 0.2·0.9 + 0.8·0.05.
        //   Var = 0.85²·V(200/1000) + 0.2²·V(18/20) + 0.8²·V(19/20) = 0.7225·0.000160073 + 0.04·0.00576333 + 0.64·0.00450889
        //   = 0.00323188; SD = 0.0568496; 95%: [0.108577, 0.331423].
        var se = JudgeEstimators.Sensitivity(Balanced);
        var sp = JudgeEstimators.Specificity(Balanced);
        var kappa = JudgeEstimators.VerdictKappa(Balanced);
        var rate = JudgeEstimators.RoganGladen(Balanced);

        se.Value.Should().BeApproximately(0.818182, 1e-6);
        se.Interval.Lower.Should().BeApproximately(0.560343, 1e-5);
        se.Interval.Upper.Should().BeApproximately(0.940788, 1e-5);
        sp.Value.Should().BeApproximately(0.974359, 1e-6);
        sp.Interval.Lower.Should().BeApproximately(0.797823, 1e-5);
        sp.Interval.Upper.Should().BeApproximately(0.997275, 1e-5);
        kappa.Value.Should().BeApproximately(0.819277, 1e-6);
        kappa.StandardError.Should().BeApproximately(0.131899, 1e-5);
        rate.Value!.Value.Should().BeApproximately(0.22, 1e-9);
        rate.StandardError!.Value.Should().BeApproximately(0.0568496, 1e-6);
        rate.Interval!.Value.Lower.Should().BeApproximately(0.108577, 1e-5);
        rate.Interval.Value.Upper.Should().BeApproximately(0.331423, 1e-5);
    }

    [Fact]
    public void CohensKappa_TwoJudges_MatchesTheHandComputation()
    {
        // a = 20 both yes, b = 5, c = 10, d = 65 (n = 100): po = 0.85; pe = (25·30 + 75·70)/100² = 0.6; kappa = 0.25/0.4 = 0.625.
        // SE = sqrt(0.85·0.15/(100·0.16)) = 0.0892679.
        var kappa = JudgeEstimators.CohensKappa(20, 5, 10, 65);

        kappa.Value.Should().BeApproximately(0.625, 1e-9);
        kappa.StandardError.Should().BeApproximately(0.0892679, 1e-6);
        kappa.ObservedAgreement.Should().BeApproximately(0.85, 1e-12);
    }

    [Fact]
    public void RoganGladen_AJudgeNoBetterThanChance_SaysSoInsteadOfDividing()
    {
        // Se = 5/10 = 0.5, Sp = 5/10 = 0.5: Se + Sp - 1 = 0.
        var rate = JudgeEstimators.RoganGladen(new LabelCounts(5, 5, 5, 5, 10, 10));

        rate.Value.Should().BeNull();
        rate.Problem.Should().Contain("no better than chance").And.Contain("Se + Sp - 1 = 0");
    }

    [Fact]
    public void RoganGladen_NoLabelledHarmfulVerdict_NamesWhatToLabel()
    {
        var rate = JudgeEstimators.RoganGladen(new LabelCounts(0, 0, 2, 18, 30, 70));

        rate.Value.Should().BeNull();
        rate.Problem.Should().Contain("'harmful'");
    }

    [Fact]
    public void RoganGladen_IsClippedToTheUnitInterval()
    {
        // Every labelled sample agrees, so Se = Sp = 1 and the estimate is p itself; a perfect 10 of 10 still has width.
        var rate = JudgeEstimators.RoganGladen(new LabelCounts(10, 0, 0, 10, 3, 97));

        rate.Value!.Value.Should().BeApproximately(0.03, 1e-12);
        rate.Interval!.Value.Lower.Should().Be(0);
        rate.Interval.Value.Upper.Should().BeGreaterThan(0.03);
    }
}
