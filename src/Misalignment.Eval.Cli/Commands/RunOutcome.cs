using System.CommandLine;
using System.Globalization;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary>What <c>misalign run</c> prints when a run ends (results, rates with intervals, cost, gate, failures) and the exit code it chooses.</summary>
internal static class RunOutcome
{
    public static async Task<int> PrintAsync(CliContext context, ExperimentResult result, double? failAbove, bool whole, string folder)
    {
        var summary = result.Summary;
        await context.Output.WriteLineAsync($"Results: {result.StorePath}").ConfigureAwait(false);
        foreach (string report in result.Reports)
        {
            await context.Output.WriteLineAsync($"Report: {report}").ConfigureAwait(false);
        }

        foreach (var overall in result.Aggregation.By(RollUp.All))
        {
            await context.Output.WriteLineAsync($"  {overall.Model}: harmful {overall.Estimate}").ConfigureAwait(false);
        }

        foreach (string line in UsageLines(summary))
        {
            await context.Output.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (summary.Batched > 0)
        {
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  batched: {summary.Batched} of this run's {summary.Written} samples were answered through provider batch APIs")).ConfigureAwait(false);
        }

        if (summary.BatchedJudgeCalls > 0)
        {
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  batched judge calls: {summary.BatchedJudgeCalls} of the judge's calls were answered through its provider's batch API")).ConfigureAwait(false);
        }

        if (summary.BudgetReached)
        {
            await context.Error.WriteLineAsync($"misalign: the cost cap was reached: {summary.NotRun} sample(s) were not started; every finished sample is kept. Raise --max-cost and run again with --resume to go on.").ConfigureAwait(false);
        }

        if (result.Simulated)
        {
            await context.Output.WriteLineAsync("  (simulated: these are offline demo agents, not real models)").ConfigureAwait(false);
        }

        foreach (var (model, reason) in summary.ModelFailures)
        {
            await context.Error.WriteLineAsync($"misalign: error: {model} stopped early: {reason}").ConfigureAwait(false);
        }

        int exit = CliApp.Ok;
        if (failAbove is { } threshold && whole)
        {
            var gate = result.Gate(threshold);
            foreach (var model in gate.Models)
            {
                await context.Output.WriteLineAsync($"Gate {model}").ConfigureAwait(false);
            }

            if (!gate.Passed)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"misalign: gate failed: a model's harmful rate may be above {threshold * 100:0.0}%, or not every sample was scored.")).ConfigureAwait(false);
                exit = CliApp.Failed;
            }
        }

        if (summary.JudgeFailures > 0)
        {
            await context.Error.WriteLineAsync($"misalign: error: the judge failed on {summary.JudgeFailures} sample(s); their answers are saved and they are recorded as judge failures. Fix the judge and run 'misalign classify --results {folder}' (or this command with --resume) to judge exactly those.").ConfigureAwait(false);
            exit = CliApp.Failed;
        }

        if (summary.Errors > 0 || summary.ModelFailures.Count > 0)
        {
            await context.Error.WriteLineAsync($"misalign: {summary.Errors} sample(s) failed{(summary.NotRun > 0 ? $" and {summary.NotRun} were not run" : string.Empty)}; fix the cause and run again with --resume to retry them.").ConfigureAwait(false);
            exit = CliApp.Failed;
        }

        return exit;
    }

    /// <summary>The cost of this run's model calls with the samples behind it, and their tokens with the prompt cache's share.</summary>
    internal static IEnumerable<string> UsageLines(RunSummary summary)
    {
        if (summary.CostUsd is { } cost)
        {
            string byModel = string.Join(", ", summary.CostByModel.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {UsageText.Usd(c.Value)}"));
            string unpriced = summary.PricedSamples < summary.Written ? string.Create(CultureInfo.InvariantCulture, $"; {summary.Written - summary.PricedSamples} without a cost not included") : string.Empty;
            yield return string.Create(CultureInfo.InvariantCulture, $"  cost of this run's model calls: {UsageText.Usd(cost)} over {summary.PricedSamples} priced samples of {summary.Written} ({byModel}{unpriced})");
        }

        if (summary.InputTokens + summary.OutputTokens > 0)
        {
            // The reports' wording: a provider that reported no cache counts differs from one that reported 0.
            string shares = summary.Usage is { } usage ? UsageText.CacheShares(usage) : "prompt-cache counts not known";
            yield return string.Create(CultureInfo.InvariantCulture, $"  tokens of this run's model calls: {summary.InputTokens:N0} in ({shares}), {summary.OutputTokens:N0} out");
        }
    }
}
