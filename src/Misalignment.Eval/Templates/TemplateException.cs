namespace Misalignment.Eval.Templates;

/// <summary>A template that cannot be parsed or rendered; the scenario pack reports it with its file and line.</summary>
internal sealed class TemplateException : MisalignmentEvalException
{
    public TemplateException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The template file, relative to its pack.</summary>
    public string File { get; }

    /// <summary>The 1-based line.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
