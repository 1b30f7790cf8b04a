using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>Registers the offline demo agents with a <see cref="ModelResolver"/>.</summary>
public static class DemoModelResolverExtensions
{
    /// <summary>The demo provider's prefix: <c>demo:benign</c>, <c>demo:harmful</c>, <c>demo:calibrated</c>.</summary>
    public const string Provider = "demo";

    /// <summary>Adds the <c>demo:</c> provider: simulated agents whose numbers describe no real model (reports say so).</summary>
    /// <param name="resolver">The resolver.</param>
    /// <param name="catalog">The scenarios the agents answer (for custom packs); the built-in ones by default.</param>
    /// <returns>The resolver.</returns>
    public static ModelResolver AddDemoAgents(this ModelResolver resolver, ScenarioCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return resolver.Add(Provider, spec => new DemoChatClient(ModelResolver.ModelOf(spec) switch
        {
            "benign" => DemoBehavior.Benign,
            "harmful" => DemoBehavior.Harmful,
            "calibrated" => DemoBehavior.Calibrated,
            var other => throw new MisalignmentEvalException($"Model spec '{spec}': unknown demo agent '{other}'; expected demo:benign, demo:harmful or demo:calibrated."),
        }, catalog), simulated: true);
    }
}
