namespace Misalignment.Eval.Cli;

/// <summary>Where a command writes (standard output for results, standard error for progress, errors and warnings) and what it reads from the environment.</summary>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error)
{
    /// <summary>Whether a person is watching a terminal (live progress bars) rather than a log (plain lines).</summary>
    public bool Interactive { get; init; }

    /// <summary>Called with the address once <c>misalign view</c> is listening (tests wait on it instead of polling).</summary>
    public Action<Uri>? Listening { get; init; }

    /// <summary>Reads an environment variable (tests substitute their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
