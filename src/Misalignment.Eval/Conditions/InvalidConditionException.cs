namespace Misalignment.Eval;

/// <summary>A condition id that cannot be parsed, or a combination of axes that is not a valid condition.</summary>
internal sealed class InvalidConditionException : MisalignmentEvalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="conditionId">The id at fault (may be empty).</param>
    /// <param name="problem">Which part is wrong, and how.</param>
    public InvalidConditionException(string conditionId, string problem)
        : base($"Condition id '{conditionId}': {problem}")
    {
        ConditionId = conditionId;
        Problem = problem;
    }

    /// <summary>The condition id at fault.</summary>
    public string ConditionId { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
