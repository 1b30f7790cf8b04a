namespace Misalignment.Eval;

/// <summary>Whether a sample produced a response.</summary>
public enum SampleStatus
{
    /// <summary>The system under test answered (<c>ok</c>).</summary>
    Ok,

    /// <summary>The call failed after its retries (<c>error</c>); the record holds the error.</summary>
    Error,
}
