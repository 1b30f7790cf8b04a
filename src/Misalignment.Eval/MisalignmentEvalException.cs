namespace Misalignment.Eval;

/// <summary>
/// The base of every exception that Misalignment.Eval throws for bad input (a malformed condition id,
/// a broken scenario pack, a bad configuration file, an incomplete prompt set). Its message names the
/// file, line, key or condition at fault and is meant to be shown to a user as it is.
/// </summary>
public class MisalignmentEvalException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public MisalignmentEvalException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    /// <param name="message">What is wrong and where.</param>
    public MisalignmentEvalException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The underlying error.</param>
    public MisalignmentEvalException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
