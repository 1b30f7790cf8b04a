namespace Misalignment.Eval.Scenarios;

/// <summary>A scenario pack that cannot be loaded or rendered: the message names the file, the line and what is wrong.</summary>
internal sealed class ScenarioPackException : MisalignmentEvalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file at fault, as shown to the user.</param>
    /// <param name="line">The 1-based line, or 0 when the problem is not on one line.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ScenarioPackException(string file, int line, string problem, Exception? innerException = null)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}", innerException)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>The 1-based line, or 0.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
