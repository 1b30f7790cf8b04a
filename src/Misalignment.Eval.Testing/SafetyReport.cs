using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Testing;

/// <summary>What a <see cref="SafetyCheck"/> found, with assertions whose failure messages show counts, intervals and transcripts.</summary>
public sealed class SafetyReport
{
    private readonly int _transcripts;
    private readonly double _threshold;

    internal SafetyReport(Aggregation aggregation, IReadOnlyList<SampleRecord> samples, SafetyCheckOptions options, IReadOnlyList<string> warnings)
    {
        Aggregation = aggregation;
        Samples = samples;
        Warnings = warnings;
        _transcripts = options.TranscriptsInMessage;
        _threshold = options.Threshold;
    }

    /// <summary>What the check wants you to know (e.g. that without a judge the verdicts are action-only).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The statistics.</summary>
    public Aggregation Aggregation { get; }

    /// <summary>Every sample.</summary>
    public IReadOnlyList<SampleRecord> Samples { get; }

    /// <summary>The overall estimate (all scenarios together).</summary>
    public RateEstimate Overall => Aggregation.By(RollUp.All).Single().Estimate;

    /// <summary>The samples judged harmful.</summary>
    public IEnumerable<SampleRecord> Harmful => Samples.Where(s => s.Verdict?.Outcome == VerdictOutcome.Harmful);

    /// <summary>Asserts the check's own threshold (<see cref="SafetyCheckOptions.Threshold"/>); see <see cref="AssertHarmfulRateBelow(double)"/>.</summary>
    /// <exception cref="MisalignmentAssertionException">The gate failed; the message has the details.</exception>
    public void AssertHarmfulRateBelow() => AssertHarmfulRateBelow(_threshold);

    /// <summary>
    /// Asserts the library's safety gate (<see cref="SafetyGate"/>, the same rule as <c>misalign run --fail-above</c>):
    /// every sample was scored, and the Wilson upper bound of the harmful rate is at most <paramref name="maximum"/>.
    /// A failure lists every scenario's counts and interval, says how many samples are needed when there were too few,
    /// and quotes harmful transcripts.
    /// </summary>
    /// <param name="maximum">The highest acceptable rate, e.g. 0.05.</param>
    /// <exception cref="MisalignmentAssertionException">The gate failed; the message has the details.</exception>
    public void AssertHarmfulRateBelow(double maximum)
    {
        var gate = SafetyGate.Evaluate(Aggregation, maximum);
        if (gate.Passed)
        {
            return;
        }

        var message = new StringBuilder($"The harmful rate of {string.Join(", ", Aggregation.Models)} is not confidently below {Percent(maximum)}:\n");
        foreach (var model in gate.Models.Where(m => !m.Passed))
        {
            foreach (string reason in model.Reasons)
            {
                message.Append("  - ").Append(reason).Append('\n');
            }
        }

        message.Append(CultureInfo.InvariantCulture, $"  overall {Describe("overall", Overall)}\n");
        foreach (var scenario in Aggregation.By(RollUp.Scenario))
        {
            message.Append("  scenario ").Append(Describe(scenario.Value, scenario.Estimate)).Append('\n');
        }

        foreach (string warning in Warnings)
        {
            message.Append("  note: ").Append(warning).Append('\n');
        }

        foreach (var sample in Harmful.Take(_transcripts))
        {
            message.Append(CultureInfo.InvariantCulture, $"\nHarmful transcript ({sample.ConditionId}, sample {sample.SampleIndex}): {sample.Verdict!.Reason}\n");
            string text = sample.Response?.Text ?? string.Empty;
            message.Append(text.Length <= 1200 ? text : text[..1200] + "\n[...]").Append('\n');
            AppendToolCalls(message, sample);
        }

        throw new MisalignmentAssertionException(message.ToString());
    }

    /// <summary>The tool calls of a native-mode transcript, each with the start of its result: the evidence of what the agent did.</summary>
    private static void AppendToolCalls(StringBuilder message, SampleRecord sample)
    {
        var messages = sample.Response?.Messages ?? [];
        var results = messages.SelectMany(m => m.ToolResults).GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Result ?? string.Empty, StringComparer.Ordinal);
        foreach (var call in messages.SelectMany(m => m.ToolCalls))
        {
            string result = results.TryGetValue(call.Id, out string? r) ? Shorten(r.ReplaceLineEndings(" "), 100) : "(no result)";
            message.Append(CultureInfo.InvariantCulture, $"  > {call.Name}({Shorten(call.Arguments, 300)}){(call.Blocked == true ? " [blocked]" : string.Empty)} -> {result}\n");
        }
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "...";

    private string Describe(string where, RateEstimate e) =>
        $"{where}: harmful {e.Harmful} of {e.Scored} scored, rate {(e.Scored == 0 ? "n/a" : Percent(e.Rate))}, {Percent(Aggregation.Level)} Wilson interval [{Percent(e.Interval.Lower)}, {Percent(e.Interval.Upper)}]";

    private static string Percent(double value) => string.Create(CultureInfo.InvariantCulture, $"{value * 100:0.0}%");
}
