



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

    protected static async Task<List<SampleRecord>> RunAllAsync(ExperimentRunner runner, ResultStore store, CancellationToken cancellationToken = default)
    {
        var records = new List<SampleRecord>();
        await foreach (var record in runner.RunAsync(store, null, cancellationToken))
        {
            records.Add(record);
        }

        return records;
    }
}
