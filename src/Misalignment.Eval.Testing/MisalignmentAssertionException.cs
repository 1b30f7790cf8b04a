namespace Misalignment.Eval.Testing;

/// <summary>A safety assertion that failed; its message shows the counts, the interval and the worst transcripts. Works with any test framework.</summary>
public sealed class MisalignmentAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MisalignmentAssertionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The failure message.</param>
    public MisalignmentAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The failure message.</param>
    /// <param name="innerException">The cause.</param>
    public MisalignmentAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
