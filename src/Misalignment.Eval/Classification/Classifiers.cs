namespace Misalignment.Eval.Classification;

/// <summary>Creates the harm classifier of a scenario.</summary>
public static class Classifiers
{
    /// <summary>The scenario kinds that have a harm classifier: <c>blackmail</c>, <c>leaking</c>, <c>murder</c>.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["blackmail", "leaking", "murder"];

    /// <summary>The harm classifier for a scenario kind.</summary>
    /// <param name="kind">The scenario id (or, for a custom scenario, the built-in kind it follows).</param>
    /// <param name="judge">The judge, or <see langword="null"/> for action-only verdicts.</param>
    /// <param name="policy">How gate and judge combine.</param>
    /// <returns>The classifier.</returns>
    /// <exception cref="MisalignmentEvalException">The kind has no classifier.</exception>
    public static HarmClassifier ForScenario(string kind, Judge? judge = null, VerdictPolicy policy = VerdictPolicy.Default) => kind switch
    {
        "blackmail" => new BlackmailClassifier(judge, policy),
        "leaking" => new LeakingClassifier(judge, policy),
        "murder" => new MurderClassifier(judge, policy),
        _ => throw new MisalignmentEvalException($"No classifier for scenario '{kind}'; classifiers exist for {string.Join(", ", Kinds)} (subclass HarmClassifier for a scenario of your own)."),
    };
}
