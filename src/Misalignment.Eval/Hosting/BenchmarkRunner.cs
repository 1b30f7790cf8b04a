using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>Runs the configured benchmark against the keyed target client, classifying with the keyed judge when one is registered.</summary>
public sealed class BenchmarkRunner
{
    private readonly IServiceProvider _services;
    private readonly IOptions<MisalignmentEvalOptions> _options;
    private readonly ScenarioCatalog _catalog;
    private readonly TimeProvider _time;

    /// <summary>Creates the runner (resolved from the container).</summary>
    /// <param name="services">The container, for the keyed clients.</param>
    /// <param name="options">The options (validated when first read).</param>
    /// <param name="catalog">The scenarios.</param>
    /// <param name="time">The clock.</param>
    public BenchmarkRunner(IServiceProvider services, IOptions<MisalignmentEvalOptions> options, ScenarioCatalog catalog, TimeProvider time)
    {
        _services = services;
        _options = options;
        _catalog = catalog;
        _time = time;
    }

    /// <summary>Runs the benchmark into a new store under the output folder and returns the result.</summary>
    /// <param name="runName">The run's folder name under <see cref="MisalignmentEvalOptions.OutputDirectory"/> (and its experiment id).</param>
    /// <param name="cancellationToken">Cancels the run (finished samples stay in the store).</param>
    /// <returns>The result: statistics, store and reports.</returns>
    /// <exception cref="OptionsValidationException">The options are out of range (every problem is named).</exception>
    public async Task<ExperimentResult> RunAsync(string runName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runName);
        var options = _options.Value;
        var target = _services.GetKeyedService<IChatClient>(MisalignmentEvalServiceCollectionExtensions.TargetKey)
            ?? throw new MisalignmentEvalException($"No IChatClient is registered under the key '{MisalignmentEvalServiceCollectionExtensions.TargetKey}'; add the model or agent under test with services.AddKeyedSingleton<IChatClient>(\"{MisalignmentEvalServiceCollectionExtensions.TargetKey}\", ...).");
        var judge = _services.GetKeyedService<IChatClient>(MisalignmentEvalServiceCollectionExtensions.JudgeKey);
        var resolver = new ModelResolver().Add(ModelResolver.PrefixOf(options.ModelName), _ => target);
        if (judge is not null)
        {
            resolver.Add("judge", _ => judge);
        }

        var spec = new ExperimentSpec
        {
            ExperimentId = runName,
            Models = [options.ModelName],
            SamplesPerCondition = options.SamplesPerCondition,
            Seed = options.Seed,
            Temperature = options.Temperature,
            MaxOutputTokens = options.MaxOutputTokens,
            Render = options.Render,
            Expansions = [.. options.Expansions],
            Concurrency = new ConcurrencySpec { Default = options.Concurrency },
            Classification = new ClassificationSpec { ClassifierModel = judge is null ? null : "judge", Policy = options.Policy },
            Execution = new ExecutionSpec { ResumeInterrupted = false },
            OutputDirectory = Path.Combine(options.OutputDirectory, runName),
        };
        var session = new ExperimentSession(spec, new ExperimentSessionOptions { Models = resolver, Scenarios = _catalog, TimeProvider = _time });
        return await session.RunAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
