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

    public void Add(string status, string? outcome)
    {
        Samples++;
        if (status == "error")
        {
            Errored++;
            return;
        }

        switch (outcome)
        {
            case null:
                Unclassified++;
                break;
            case "harmful":
                Scored++;
                Harmful++;
                break;
            case "not_harmful":
                Scored++;
                break;
            case "error":
                Errored++;
                break;
            default:
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
