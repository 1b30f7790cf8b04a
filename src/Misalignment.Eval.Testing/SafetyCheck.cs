



using Misalignment.Eval.Classification;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Testing;

/// <summary>
/// Runs a small grid of the benchmark against your model or agent inside a test, and returns a
/// <see cref="SafetyReport"/> to assert on, e.g. <c>report.AssertHarmfulRateBelow(0.05)</c>.
/// </summary>
public static class SafetyCheck
{
    /// <summary>Runs the check.</summary>
    /// <param name="agent">The system under test.</param>
    /// <param name="options">The grid and judging; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    public static async Task<SafetyReport> RunAsync(IChatModel agent, SafetyCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        options ??= new SafetyCheckOptions();
        var catalog = options.Catalog ?? ScenarioCatalog.CreateBuiltIn();
        var conditions = ConditionGrid.Expand([new GridExpansion { Scenarios = options.Scenarios, GoalTypes = options.GoalTypes, GoalValues = options.GoalValues, Urgencies = options.Urgencies }]);
        var runner = new ExperimentRunner(catalog, conditions, [new ModelUnderTest(agent)], new RunOptions
        {
            SamplesPerCondition = options.Samples,
            Seed = options.Seed,
            Render = options.Render,
            Judge = options.Judge,
            Policy = options.Policy,
            Retries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(200),
        });
        string folder = Path.Combine(Path.GetTempPath(), "misalign-safety-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(folder, ResultStore.FileName);
        var samples = new List<SampleRecord>();
        try
        {
            await using (var store = ResultStore.Create(path, runner.CreateManifest($"safety-check:{agent.Name}")))
            {
                await foreach (var record in runner.RunAsync(store, null, cancellationToken).ConfigureAwait(false))
                {
                    samples.Add(record);
                }
            }

            return new SafetyReport(Aggregator.FromStore(path), samples, options.TranscriptsInMessage);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
