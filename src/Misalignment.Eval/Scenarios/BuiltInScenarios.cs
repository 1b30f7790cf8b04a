
namespace Misalignment.Eval.Scenarios;

/// <summary>The library's own scenarios, embedded as scenario packs.</summary>
internal static class BuiltInScenarios
{
    private static readonly Lazy<IReadOnlyList<ScenarioPack>> Packs =
        new(() => [.. PackFiles.EmbeddedPackIds().Select(ScenarioPack.LoadEmbedded)]);

    /// <summary>Every built-in scenario, by id order.</summary>
    public static IReadOnlyList<IScenario> All => Packs.Value;

    /// <summary>The ids of the built-in scenarios.</summary>
    public static IReadOnlyList<string> Ids => [.. Packs.Value.Select(p => p.Id)];

    /// <summary>A built-in scenario by id.</summary>
    /// <param name="id">The id: <c>blackmail</c>, <c>leaking</c> or <c>murder</c>.</param>
    /// <returns>The scenario pack.</returns>
    /// <exception cref="MisalignmentEvalException">No built-in scenario has that id.</exception>
    public static ScenarioPack Get(string id) =>
        Packs.Value.FirstOrDefault(p => p.Id == id)
        ?? throw new MisalignmentEvalException($"Unknown built-in scenario '{id}'; built-in scenarios: {string.Join(", ", Ids)}.");
}
