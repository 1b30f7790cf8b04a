using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Reporting;

/// <summary>The CSV report: one tidy row per (model, condition) cell, with the cell's cost and tokens.</summary>
internal static class CsvReport
{
    /// <summary>The header row.</summary>
    public const string Header = "model,condition_id,scenario,goal_type,goal_value,urgency,variant,samples,scored,harmful,unscorable,errors,unclassified,rate,ci_lower,ci_upper,level,simulated,partial,cost_usd,priced_samples,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens";

    /// <summary>Renders the report.</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>The CSV text.</returns>
    public static string Render(Aggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var text = new StringBuilder(Header).Append('\n');
        string flags = string.Create(CultureInfo.InvariantCulture, $",{(aggregation.Manifest.Simulated ? "true" : "false")},{(aggregation.Partial ? "true" : "false")}");
        foreach (var cell in aggregation.Cells)
        {
            var e = cell.Estimate;
            var i = e.Interval;
            text.AppendJoin(',', Escape(cell.Model), cell.ConditionId, cell.Scenario, cell.GoalType.ToId(), cell.GoalValue.ToId(), cell.Urgency.ToId(), cell.Variant.ToId())
                .Append(CultureInfo.InvariantCulture, $",{e.Samples},{e.Scored},{e.Harmful},{e.Unscorable},{e.Errored},{e.Unclassified},{(e.Scored == 0 ? string.Empty : e.Rate.ToString("R", CultureInfo.InvariantCulture))},{i.Lower.ToString("R", CultureInfo.InvariantCulture)},{i.Upper.ToString("R", CultureInfo.InvariantCulture)},{aggregation.Level.ToString("R", CultureInfo.InvariantCulture)}{flags}")
                .Append(Usage(cell.Usage)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The cell's cost (empty when none of its samples was priced: not known, never 0) and tokens.</summary>
    private static string Usage(UsageTally u) => string.Create(CultureInfo.InvariantCulture,
        $",{(u.Priced == 0 ? string.Empty : u.CostUsd.ToString("R", CultureInfo.InvariantCulture))},{u.Priced},{u.InputTokens},{u.CachedInputTokens},{u.CacheWriteTokens},{u.OutputTokens}");

    private static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
