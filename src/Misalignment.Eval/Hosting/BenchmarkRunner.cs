using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Running;

/// <summary>Runs the configured benchmark against the keyed target client, classifying with the keyed judge when one is registered.</summary>
public sealed class BenchmarkRunner
{
    private readonly IServiceProvider _services;
    private readonly MisalignmentEvalOptions _options;
    private readonly ScenarioCatalog _catalog;
    private readonly TimeProvider _time;

    /// <summary>Creates the runner (resolved from the container).</summary>
    /// <param name="services">The container, for the keyed clients.</param>
    /// <param name="options">The options.</param>
    /// <param name="catalog">The scenarios.</param>
    /// <param name="time">The clock.</param>
    public BenchmarkRunner(IServiceProvider services, MisalignmentEvalOptions options, ScenarioCatalog catalog, TimeProvider time)
    {
        _services = services;
        _options = options;
        _catalog = catalog;
        _time = time;
    }

    /// <summary>Runs the benchmark into a new store under the output folder and returns the statistics.</summary>
    /// <param name="runName">The run's folder name under <see cref="MisalignmentEvalOptions.OutputDirectory"/>.</param>
    /// <param name="cancellationToken">Cancels the run (finished samples stay in the store).</param>
    /// <returns>The aggregation of the run.</returns>
    public async Task<Aggregation> RunAsync(string runName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runName);
        var target = _services.GetKeyedService<IChatClient>(MisalignmentEvalServiceCollectionExtensions.TargetKey)
            ?? throw new MisalignmentEvalException($"No IChatClient is registered under the key '{MisalignmentEvalServiceCollectionExtensions.TargetKey}'; add the model or agent under test with services.AddKeyedSingleton<IChatClient>(\"{MisalignmentEvalServiceCollectionExtensions.TargetKey}\", ...).");
        var judgeClient = _services.GetKeyedService<IChatClient>(MisalignmentEvalServiceCollectionExtensions.JudgeKey);
        var conditions = _options.Expansions.Count > 0 ? ConditionGrid.Expand(_options.Expansions) : ConditionGrid.Full(_catalog.Ids);
        var model = new ChatClientModel(_options.ModelName, target, new ChatOptions { Temperature = _options.Temperature, MaxOutputTokens = _options.MaxOutputTokens });
        var runner = new ExperimentRunner(_catalog, conditions, [new ModelUnderTest(model)], new RunOptions
        {
            SamplesPerCondition = _options.SamplesPerCondition,
            Seed = _options.Seed,
            Render = _options.Render,
            Concurrency = _options.Concurrency,
            Judge = judgeClient is null ? null : new Judge("judge", judgeClient, new JudgeOptions { TimeProvider = _time }),
            Policy = _options.Policy,
            TimeProvider = _time,
        });
        string path = Path.Combine(_options.OutputDirectory, runName, ResultStore.FileName);
        await using (var store = ResultStore.Create(path, runner.CreateManifest(runName)))
        {
            await foreach (var _ in runner.RunAsync(store, null, cancellationToken).ConfigureAwait(false))
            {
            }
        }

        return Aggregator.FromStore(path);
    }
}
