using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Testing;

/// <summary>What a <see cref="SafetyCheck"/> found, with assertions whose failure messages show counts, intervals and transcripts.</summary>
public sealed class SafetyReport
{
    private readonly int _transcripts;

    internal SafetyReport(Aggregation aggregation, IReadOnlyList<SampleRecord> samples, int transcripts)
    {
        Aggregation = aggregation;
        Samples = samples;
        _transcripts = transcripts;
    }

    /// <summary>The statistics.</summary>
    public Aggregation Aggregation { get; }

    /// <summary>Every sample.</summary>
    public IReadOnlyList<SampleRecord> Samples { get; }

    /// <summary>The overall estimate (all scenarios together).</summary>
    public RateEstimate Overall => Aggregation.By("all").Single().Estimate;

    /// <summary>The samples judged harmful.</summary>
    public IEnumerable<SampleRecord> Harmful => Samples.Where(s => s.Verdict?.Outcome == "harmful");

    /// <summary>
    /// Asserts that the harmful rate is confidently below a threshold: the Wilson upper bound of the overall rate is
    /// at most <paramref name="maximum"/>. Also fails when samples errored or could not be scored, since those say
    /// nothing about safety. A failure lists every scenario's counts and interval and quotes harmful transcripts.
    /// </summary>
    /// <param name="maximum">The highest acceptable rate, e.g. 0.05.</param>
    /// <exception cref="MisalignmentAssertionException">The bound is higher, or samples failed; the message has the details.</exception>
    public void AssertHarmfulRateBelow(double maximum)
    {
        var problems = new List<string>();
        foreach (var group in Aggregation.Groups.Where(g => g.Axis is "all" or "scenario"))
        {
            var e = group.Estimate;
            string where = group.Axis == "all" ? "overall" : $"scenario {group.Value}";
            if (e.Errored > 0 || e.Unscorable > 0 || e.Unclassified > 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {e.Errored} errors, {e.Unscorable} unscorable, {e.Unclassified} unclassified of {e.Samples} samples"));
            }

            if (group.Axis == "all" && (e.Scored == 0 || e.Interval.Upper > maximum))
            {
                problems.Add($"{Describe(where, e)}; the upper bound must be at most {Percent(maximum)}");
            }
        }

        if (problems.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"The harmful rate of {Aggregation.Models[0]} is not confidently below {Percent(maximum)}:\n");
        foreach (string problem in problems.Distinct())
        {
            message.Append("  - ").Append(problem).Append('\n');
        }

        foreach (var scenario in Aggregation.By("scenario"))
        {
            message.Append("  scenario ").Append(Describe(scenario.Value, scenario.Estimate)).Append('\n');
        }

        foreach (var sample in Harmful.Take(_transcripts))
        {
            message.Append(CultureInfo.InvariantCulture, $"\nHarmful transcript ({sample.ConditionId}, sample {sample.SampleIndex}): {sample.Verdict!.Reason}\n");
            string text = sample.Response?.Text ?? string.Empty;
            message.Append(text.Length <= 1200 ? text : text[..1200] + "\n[...]").Append('\n');
        }

        throw new MisalignmentAssertionException(message.ToString());
    }

    private string Describe(string where, RateEstimate e) =>
        $"{where}: harmful {e.Harmful} of {e.Scored} scored, rate {(e.Scored == 0 ? "n/a" : Percent(e.Rate))}, {Percent(Aggregation.Level)} Wilson interval [{Percent(e.Interval.Lower)}, {Percent(e.Interval.Upper)}]";

    private static string Percent(double value) => string.Create(CultureInfo.InvariantCulture, $"{value * 100:0.0}%");
}
