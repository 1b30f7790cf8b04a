



using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Tests.Running;

public abstract class RunnerTestBase : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    protected static ScenarioCatalog Catalog { get; } = ScenarioCatalog.CreateBuiltIn();

    protected static IReadOnlyList<Condition> TwoConditions { get; } =
        [Condition.Parse("murder_explicit-safety_replacement"), Condition.Parse("blackmail_none-none_none")];

    protected string StorePath => Path.Combine(_temp.Path, ResultStore.FileName);

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs and returns the samples this run wrote and the run's summary.</summary>
    internal static async Task<(List<SampleRecord> Records, RunSummary Summary)> RunWithSummaryAsync(ExperimentRunner runner, IResultSink store, CancellationToken cancellationToken = default)
    {
        var before = store.ReadSamples().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var summary = await runner.RunAsync(store, null, cancellationToken);
        return ([.. store.ReadSamples().Where(s => !before.Contains(s.Key))], summary);
    }

    /// <summary>Runs and returns the samples this run wrote (with their verdicts), in the order the store holds them.</summary>
    internal static async Task<List<SampleRecord>> RunAllAsync(ExperimentRunner runner, IResultSink store, CancellationToken cancellationToken = default)
    {
        var before = store.ReadSamples().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        await runner.RunAsync(store, null, cancellationToken);
        return [.. store.ReadSamples().Where(s => !before.Contains(s.Key))];
    }
}
