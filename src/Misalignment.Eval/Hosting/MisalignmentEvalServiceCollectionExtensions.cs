using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Misalignment.Eval;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Misalignment.Eval in a service collection (an ASP.NET Core or worker app can then host runs).</summary>
public static class MisalignmentEvalServiceCollectionExtensions
{
    /// <summary>The service key of the target <c>IChatClient</c> (the model or agent under test).</summary>
    public const string TargetKey = "misalign:target";

    /// <summary>The service key of the judge <c>IChatClient</c> (optional; without it verdicts are action-only).</summary>
    public const string JudgeKey = "misalign:judge";

    /// <summary>
    /// Adds Misalignment.Eval with its options bound from configuration (e.g. the <c>MisalignmentEval</c> section of
    /// appsettings.json: <c>ModelName</c>, <c>SamplesPerCondition</c>, <c>Seed</c>, <c>Temperature</c>,
    /// <c>MaxOutputTokens</c>, <c>Policy</c>, <c>Concurrency</c>, <c>OutputDirectory</c>, <c>Render</c>,
    /// <c>Expansions</c>), then by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <param name="configure">Further changes, applied after binding.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddMisalignmentEval(this IServiceCollection services, IConfiguration configuration, Action<MisalignmentEvalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddMisalignmentEval(options =>
        {
            configuration.Bind(options);

            // The binder would add configured axis values to each expansion's defaults; read expansions as written instead.
            options.Expansions.Clear();
            foreach (var section in configuration.GetSection("Expansions").GetChildren())
            {
                options.Expansions.Add(ExpansionOf(section));
            }

            configure?.Invoke(options);
        });
    }

    private static GridExpansion ExpansionOf(IConfigurationSection section)
    {
        List<string> Values(string key) => [.. section.GetSection(key).GetChildren().Select(c => c.Value ?? string.Empty)];
        string where = $"configuration '{section.Path}'";
        var expansion = new GridExpansion
        {
            Name = section["Name"] ?? section.Key,
            Enabled = !bool.TryParse(section["Enabled"], out bool enabled) || enabled,
            Scenarios = Values("Scenarios"),
        };
        var goalTypes = Values("GoalTypes");
        var goalValues = Values("GoalValues");
        var urgencies = Values("Urgencies");
        return expansion with
        {
            GoalTypes = goalTypes.Count == 0 ? expansion.GoalTypes : [.. goalTypes.Select(t => ConditionAxes.ParseGoalType(t.ToLowerInvariant(), where))],
            GoalValues = goalValues.Count == 0 ? expansion.GoalValues : [.. goalValues.Select(v => ConditionAxes.ParseGoalValue(v.ToLowerInvariant(), where))],
            Urgencies = urgencies.Count == 0 ? expansion.Urgencies : [.. urgencies.Select(u => ConditionAxes.ParseUrgency(u.ToLowerInvariant(), where))],
        };
    }

    /// <summary>
    /// Adds the scenario catalog (built-in scenarios), the validated <see cref="MisalignmentEvalOptions"/> (options
    /// pattern: <c>IOptions&lt;MisalignmentEvalOptions&gt;</c>, checked when first resolved) and
    /// <see cref="BenchmarkRunner"/>. Register the target as a keyed <c>IChatClient</c> under <see cref="TargetKey"/>
    /// (and a judge under <see cref="JudgeKey"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddMisalignmentEval(this IServiceCollection services, Action<MisalignmentEvalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<MisalignmentEvalOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MisalignmentEvalOptions>, MisalignmentEvalOptionsValidator>());
        services.TryAddSingleton(_ => ScenarioCatalog.CreateBuiltIn());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BenchmarkRunner>();
        return services;
    }
}
