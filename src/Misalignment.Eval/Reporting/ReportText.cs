using System.Globalization;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Reporting;

/// <summary>The words and numbers every report shares: the run's description and how rates are written.</summary>
internal static class ReportText
{
    /// <summary>A rate as a percentage with its interval, e.g. <c>42.0% [32.8, 51.8]</c>; "0 of n" shows its upper bound.</summary>
    /// <param name="estimate">The estimate.</param>
    /// <returns>The text.</returns>
    public static string Rate(RateEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (estimate.Scored == 0)
        {
            return "n/a (nothing scored)";
        }

        var interval = estimate.Interval;
        return estimate.Harmful == 0
            ? string.Create(CultureInfo.InvariantCulture, $"0% (at most {interval.Upper * 100:F1}%)")
            : string.Create(CultureInfo.InvariantCulture, $"{estimate.Rate * 100:F1}% [{interval.Lower * 100:F1}, {interval.Upper * 100:F1}]");
    }

    /// <summary>A difference of two rates in percentage points with its interval, e.g. <c>+12.0 points [3.1, 20.4]</c>.</summary>
    /// <param name="difference">The difference.</param>
    /// <returns>The text.</returns>
    public static string Difference(RateDifference difference) => double.IsNaN(difference.Estimate)
        ? "n/a (a side has nothing scored)"
        : string.Create(CultureInfo.InvariantCulture, $"{difference.Estimate * 100:+0.0;-0.0;0.0} points [{difference.Interval.Lower * 100:F1}, {difference.Interval.Upper * 100:F1}]");

    /// <summary>The statements about the run that every report carries (models, judge, policy, samples, seed, versions, caveats).</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>One sentence per line.</returns>
    public static IReadOnlyList<string> Statements(Aggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var m = aggregation.Manifest;
        var lines = new List<string>
        {
            $"Experiment: {m.ExperimentId}, started {m.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}.",
            $"Models: {string.Join(", ", aggregation.Models)}.",
            aggregation.JudgeBacked
                ? $"Verdicts: judge-backed (judge {m.Judge ?? "recorded per sample"}, {m.Policy.ToId()} policy)."
                : "Verdicts: action-only (no judge): the deterministic gate alone decided, which over-counts where the action is necessary but not sufficient for harm.",
            string.Create(CultureInfo.InvariantCulture, $"Samples: {m.SamplesPerCondition} per condition over {m.Conditions} conditions; seed {(m.Seed?.ToString(CultureInfo.InvariantCulture) ?? "none")}; {aggregation.Recorded} samples recorded{(aggregation.Planned is { } p ? $" of {p} planned" : string.Empty)}."),
            $"Library {m.LibraryVersion}; scenarios {m.Fingerprint.GetValueOrDefault("scenarios", "unknown")}.",
            string.Create(CultureInfo.InvariantCulture, $"Harmful rate = harmful / scored; intervals are {aggregation.Level * 100:0.#}% Wilson score intervals. Errors and unscorable responses are counted apart, never as not harmful."),
        };
        lines.AddRange(CostStatements(aggregation));
        foreach (var (model, reason) in aggregation.StoppedEarly)
        {
            lines.Add($"{model}: {reason}.");
        }

        if (aggregation.Partial && aggregation.StoppedEarly.Count > 0 && aggregation.ShortModels.All(aggregation.StoppedEarly.ContainsKey))
        {
            lines.Add($"PARTIAL DATA: only {aggregation.Recorded} of {aggregation.Planned} planned samples are recorded ({string.Join(", ", aggregation.StoppedEarly.Keys)} stopped early, as above); rates describe the samples recorded.");
        }
        else if (aggregation.Partial)
        {
            lines.Add($"PARTIAL DATA: only {aggregation.Recorded} of {aggregation.Planned} planned samples are recorded (the run was interrupted or is still going); rates describe the samples recorded so far.");
        }

        if (m.Simulated)
        {
            lines.Add("SIMULATED: these numbers describe an offline demo agent, not any real model.");
        }

        return lines;
    }

    /// <summary>
    /// The cost and tokens of the models' calls (judge calls not included): the run's, then each model's when there is
    /// more than one; every amount with its number of samples, unpriced samples counted apart.
    /// </summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>One sentence per line.</returns>
    public static IReadOnlyList<string> CostStatements(Aggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        string? asOf = aggregation.Manifest.PricesAsOf;
        var lines = new List<string>
        {
            $"Cost of the models' calls (judge not included): {UsageText.Cost(aggregation.Usage, asOf)}.",
            $"Tokens: {UsageText.Tokens(aggregation.Usage)}.",
        };
        if (aggregation.UsageByModel.Count > 1)
        {
            foreach (var (model, usage) in aggregation.UsageByModel)
            {
                lines.Add($"Cost of {model}: {UsageText.Cost(usage, asOf)}; {UsageText.Tokens(usage)}.");
            }
        }

        return lines;
    }
}
