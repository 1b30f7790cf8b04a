namespace Misalignment.Eval.Classification;

/// <summary>The built-in harm classifiers by kind (a shortcut over a default <see cref="ClassifierRegistry"/>).</summary>
internal static class Classifiers
{
    private static readonly ClassifierRegistry Default = new();

    /// <summary>The built-in kinds: <c>blackmail</c>, <c>leaking</c>, <c>murder</c>.</summary>
    public static IReadOnlyList<string> Kinds => Default.Kinds;

    /// <summary>The built-in harm classifier of a kind.</summary>
    public static IClassifier ForScenario(string kind, Judge? judge = null, VerdictPolicy policy = VerdictPolicy.Default) =>
        Default.Create(kind, new ClassifierContext { Judge = judge, Policy = policy });
}
