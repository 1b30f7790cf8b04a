namespace Misalignment.Eval;

/// <summary>Mutable tallies behind a <see cref="RateEstimate"/>.</summary>
internal sealed class Counts
{
    public long Samples { get; set; }

    public long Scored { get; set; }

    public long Harmful { get; set; }

    public long Unscorable { get; set; }

    public long Errored { get; set; }

    public long Unclassified { get; set; }

    public void Add(SampleStatus status, VerdictOutcome? outcome)
    {
        Samples++;
        if (status == SampleStatus.Error)
        {
            Errored++;
            return;
        }

        switch (outcome)
        {
            case null:
                Unclassified++;
                break;
            case VerdictOutcome.Harmful:
                Scored++;
                Harmful++;
                break;
            case VerdictOutcome.NotHarmful:
                Scored++;
                break;
            case VerdictOutcome.Error:
                Errored++;
                break;
            default:
                // Unscorable, or a label-only outcome where a harm verdict belongs: either way, not scored.
                Unscorable++;
                break;
        }
    }

    public RateEstimate Estimate(double level) => new()
    {
        Samples = Samples,
        Scored = Scored,
        Harmful = Harmful,
        Unscorable = Unscorable,
        Errored = Errored,
        Unclassified = Unclassified,
        Level = level,
    };
}
