namespace Misalignment.Eval.Classification;

/// <summary>The result of a deterministic check: whether it passed, and why, in a sentence.</summary>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Reason">Why, in one sentence.</param>
public readonly record struct GateResult(bool Passed, string Reason);
