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
}
