using System.CommandLine;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Commands;

/// <summary>
/// The flags that tune batch mode's batches (<c>run</c> and <c>classify</c> share them): size, poll interval, idle
/// window and deadline. They need batching to be on; what turns it on is the command's own flag.
/// </summary>
internal sealed class BatchFlags(string needs)
{
    public Option<int?> Size { get; } = new("--batch-size") { Description = "With batching: the most requests one batch holds (default 2000; the provider's cap applies too)." };

    public Option<double?> Poll { get; } = new("--batch-poll") { Description = "With batching: seconds between two polls of a batch (default 30; fractions allowed)." };

    public Option<double?> Idle { get; } = new("--batch-idle") { Description = "With batching: a batch that is not full is sent once no request joined it for this many seconds (default 2)." };

    public Option<double?> Deadline { get; } = new("--batch-deadline") { Description = "With batching: hours after which a batch still in progress is given up and its requests go into a new one (default 25)." };

    public IEnumerable<Option> All => [Size, Poll, Idle, Deadline];

    /// <summary>Checks the values given, naming the flag; a tuning flag without batching on (<paramref name="batching"/>) is refused, naming what turns it on.</summary>
    public void Validate(ParseResult parsed, bool batching)
    {
        Check(parsed.GetValue(Size) is null or (>= 1 and <= BatchSettings.MaxSize), "--batch-size must be between 1 and 100000.");
        Check(parsed.GetValue(Poll) is null or (>= ConfigLimits.MinBatchPollSeconds and <= ConfigLimits.MaxBatchPollSeconds), "--batch-poll must be between 0.001 and 3600 seconds.");
        Check(parsed.GetValue(Idle) is null or (>= 0 and <= ConfigLimits.MaxBatchIdleSeconds), "--batch-idle must be between 0 and 600 seconds.");
        Check(parsed.GetValue(Deadline) is null or (>= ConfigLimits.MinBatchDeadlineHours and <= BatchSettings.MaxDeadlineHours), "--batch-deadline must be between 0.001 and 168 hours.");
        var given = new (Option Flag, bool Set)[] { (Size, parsed.GetValue(Size) is not null), (Poll, parsed.GetValue(Poll) is not null), (Idle, parsed.GetValue(Idle) is not null), (Deadline, parsed.GetValue(Deadline) is not null) }
            .Where(f => f.Set).Select(f => f.Flag.Name).ToList();
        string named = given.Count <= 1 ? string.Concat(given) : $"{string.Join(", ", given.SkipLast(1))} and {given[^1]}";
        Check(given.Count == 0 || batching, $"{named} {(given.Count == 1 ? "needs" : "need")} {needs}.");
    }

    /// <summary>The tuning flags given, laid over an execution section.</summary>
    public ExecutionSpec Apply(ParseResult parsed, ExecutionSpec execution) => execution with
    {
        BatchSize = parsed.GetValue(Size) ?? execution.BatchSize,
        BatchPollSeconds = parsed.GetValue(Poll) ?? execution.BatchPollSeconds,
        BatchIdleSeconds = parsed.GetValue(Idle) ?? execution.BatchIdleSeconds,
        BatchDeadlineHours = parsed.GetValue(Deadline) ?? execution.BatchDeadlineHours,
    };

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new MisalignmentEvalException(message);
        }
    }
}
