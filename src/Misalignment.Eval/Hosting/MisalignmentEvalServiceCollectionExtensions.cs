using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Hosting;

/// <summary>Registers Misalignment.Eval in a service collection (an ASP.NET Core or worker app can then host runs).</summary>
public static class MisalignmentEvalServiceCollectionExtensions
{
    /// <summary>The service key of the target <c>IChatClient</c> (the model or agent under test).</summary>
    public const string TargetKey = "misalign:target";

    /// <summary>The service key of the judge <c>IChatClient</c> (optional; without it verdicts are action-only).</summary>
    public const string JudgeKey = "misalign:judge";

    /// <summary>
    /// Adds the scenario catalog (built-in scenarios), the options and <see cref="BenchmarkRunner"/>. Register the
    /// target as a keyed <c>IChatClient</c> under <see cref="TargetKey"/> (and a judge under <see cref="JudgeKey"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddMisalignmentEval(this IServiceCollection services, Action<MisalignmentEvalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new MisalignmentEvalOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(_ => ScenarioCatalog.CreateBuiltIn());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BenchmarkRunner>();
        return services;
    }
}
