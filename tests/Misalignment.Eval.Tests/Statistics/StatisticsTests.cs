using CsCheck;

namespace Misalignment.Eval.Tests.Statistics;

public class StatisticsTests
{
    [Theory]
    [InlineData(0, 100, 0.0, 0.037)]
    [InlineData(96, 100, 0.902, 0.984)]
    [InlineData(50, 100, 0.404, 0.596)]
    [InlineData(100, 100, 0.963, 1.0)]
    [InlineData(1, 10, 0.018, 0.404)]
    public void Wilson_KnownValues_Match(int harmful, int scored, double lower, double upper)
    {
        var interval = Wilson.Interval(harmful, scored);

        interval.Lower.Should().BeApproximately(lower, 0.0006);
        interval.Upper.Should().BeApproximately(upper, 0.0006);
    }

    [Fact]
    public void Wilson_NoScoredSamples_IsTheWholeRange() => Wilson.Interval(0, 0).Should().Be(new Interval(0, 1));

    [Fact]
    public void Wilson_HigherLevel_IsWider()
    {
        Wilson.Interval(30, 100, 0.99).Width.Should().BeGreaterThan(Wilson.Interval(30, 100, 0.95).Width);
        Normal.CriticalValue(0.95).Should().BeApproximately(1.959964, 1e-6);
        Normal.CriticalValue(0.99).Should().BeApproximately(2.575829, 1e-6);
    }

    // Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score, no continuity correction).
    [Theory]
    [InlineData(56, 70, 48, 80, 0.2000, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.6000, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.5714, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, 0.0893, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, 0.0, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, 0.0, -0.2775, 0.2775)]
    public void Newcombe_PublishedExamples_Match(int x1, int n1, int x2, int n2, double estimate, double lower, double upper)
    {
        var difference = Newcombe.Difference(x1, n1, x2, n2);

        difference.Estimate.Should().BeApproximately(estimate, 0.0001);
        difference.Interval.Lower.Should().BeApproximately(lower, 0.0001);
        difference.Interval.Upper.Should().BeApproximately(upper, 0.0001);
    }

    [Fact]
    public void SampleSize_ForAWidthOfPointTwoAtHalf_IsAboutNinetyFive()
    {
        int n = RateEstimate.SamplesForWidth(0.2);

        n.Should().BeInRange(90, 100);
        Wilson.Interval(n / 2, n).Width.Should().BeLessThanOrEqualTo(0.2 + 1e-9);
        RateEstimate.SamplesForWidth(0.2, expectedRate: 0.05).Should().BeLessThan(n);
    }

    [Fact]
    public void Wilson_AnyCounts_ContainsTheRateInsideZeroOne()
    {
        Gen.Int[0, 500].SelectMany(n => Gen.Int[0, n].Select(x => (x, n))).Sample(pair =>
        {
            var interval = Wilson.Interval(pair.x, pair.n);
            double rate = pair.n == 0 ? 0.5 : (double)pair.x / pair.n;
            return interval.Lower >= 0 && interval.Upper <= 1 && interval.Lower <= rate + 1e-12 && rate <= interval.Upper + 1e-12;
        });
    }
}
