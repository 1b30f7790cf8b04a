namespace Misalignment.Eval.Interop;

/// <summary>A prompt-set folder that cannot be imported or written: the message names the folder or file at fault.</summary>
internal sealed class PromptSetException : MisalignmentEvalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The folder or file at fault.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public PromptSetException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The folder or file at fault.</summary>
    public string Path { get; }
}
