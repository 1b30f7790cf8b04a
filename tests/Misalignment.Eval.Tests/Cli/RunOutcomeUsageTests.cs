using Misalignment.Eval.Cli.Commands;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>The end of a run states its tokens as the reports do.</summary>
public sealed class RunOutcomeUsageTests
{
    [Theory]
    [InlineData(null, null, "  tokens of this run's model calls: 2,000 in (no prompt-cache reads or writes reported), 150 out")]
    [InlineData(0L, null, "  tokens of this run's model calls: 2,000 in (0.0% read from the prompt cache, 0.0% written to it), 150 out")]
    [InlineData(500L, 100L, "  tokens of this run's model calls: 2,000 in (25.0% read from the prompt cache, 5.0% written to it), 150 out")]
    public void UsageLines_SayWhetherTheProviderReportedCacheCounts_AsTheReportsDo(long? cached, long? written, string expected)
    {
        var usage = new UsageTally();
        usage.Add(2000, cached, written, 150, null);
        var summary = new RunSummary { Written = 1, InputTokens = usage.InputTokens, CachedInputTokens = usage.CachedInputTokens, CacheWriteTokens = usage.CacheWriteTokens, OutputTokens = usage.OutputTokens, Usage = usage };

        RunOutcome.UsageLines(summary).Should().Equal(expected);
    }
}
