namespace Misalignment.Eval.Cli;

/// <summary>Where a command writes: standard output for results, standard error for errors and warnings.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error);
