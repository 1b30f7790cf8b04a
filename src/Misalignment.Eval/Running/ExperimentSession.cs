using System.Globalization;
using Misalignment.Eval.Reporting;

namespace Misalignment.Eval.Running;

/// <summary>
/// The library's entry point: takes an experiment spec (built in code, or loaded from JSON or the reference YAML
/// with <see cref="ExperimentSpecLoader"/>) and does what <c>misalign run</c> does: the grid, the models and their
/// rate-limit plan, the store (new or resumed), the run, classification, statistics and reports. The gate is
/// <see cref="ExperimentResult.Gate"/>; classifying and merging stores are <see cref="ClassifyStoreAsync"/> and
/// <see cref="MergeStoresAsync"/>.
/// </summary>
public sealed partial class ExperimentSession
{
    private readonly ExperimentSessionOptions _options;

    /// <summary>Creates a session.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="options">Where models, scenarios, classifiers and writers come from; defaults when null.</param>
    public ExperimentSession(ExperimentSpec spec, ExperimentSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        _options = options ?? new ExperimentSessionOptions();
    }

    /// <summary>The experiment.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>The folder the run writes to: the spec's, or <c>out/&lt;experiment id&gt;</c>.</summary>
    /// <exception cref="MisalignmentEvalException">The spec's folder is blank or an existing file.</exception>
    public string OutputDirectory => OutputPaths.Folder(Spec.OutputDirectory ?? Path.Combine("out", Spec.ExperimentId), "the output folder (--out, output_directory)");

    /// <summary>The store file the run writes: <c>results.jsonl</c>, or a shard's own file.</summary>
    public string StorePath => Path.Combine(OutputDirectory, Spec.Execution.Shard is { } s ? $"results.shard-{s.Index}-of-{s.Count}.jsonl" : ResultStore.FileName);

    /// <summary>What the run will do, without calling anything.</summary>
    /// <returns>The plan.</returns>
    public ExperimentPlan Plan()
    {
        var grid = Grid();
        var shard = Spec.Execution.Shard;
        long calls = grid.Models.Sum(m => Share(grid.ConditionsOf(m).Count, m));
        bool judged = Spec.Classification.Enabled && Spec.Classification.ClassifierModel is not null;
        return new ExperimentPlan
        {
            Conditions = grid.Conditions,
            Models = [.. grid.Models.Select(m => new PlannedModel
            {
                Spec = m,
                Provider = _options.Models.ProviderOf(m),
                Conditions = grid.ConditionsOf(m).Count,
                Concurrency = ConcurrencyOf(m),
                RateLimit = RateLimitPlan.Resolve(Spec.RateLimits, m).Limit,
                Batched = Batched(m),
            })],
            SamplesPerCondition = Spec.SamplesPerCondition,
            Judge = Spec.Classification.ClassifierModel,
            JudgeBatched = JudgeBatched(),
            Shard = shard,
            TargetCalls = calls,
            JudgeCalls = judged ? calls * (Spec.Classification.Awareness ? 2 : 1) : 0,
            Warnings = Warnings(grid),
        };

        long Share(int conditions, string model) => shard is null
            ? (long)conditions * Spec.SamplesPerCondition
            : RunPlan.Items([model], grid.ConditionsOf(model), Spec.Render.Variant, Spec.SamplesPerCondition, shard).LongCount();
    }

    /// <summary>Runs the experiment into its folder (<see cref="OutputDirectory"/>): a new store, or the existing one resumed when <see cref="ExecutionSpec.ResumeInterrupted"/> is set; then writes the reports (not for a shard).</summary>
    /// <param name="progress">Receives a snapshot after every sample.</param>
    /// <param name="cancellationToken">Stops the run; finished samples stay in the store, and a resume goes on from there.</param>
    /// <returns>The result.</returns>
    public async Task<ExperimentResult> RunAsync(IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var run = Prepare();
        string path = StorePath;
        ResumeReport? resumed = null;
        ResultStore store;
        if (Spec.Execution.ResumeInterrupted && File.Exists(path) && new FileInfo(path).Length > 0)
        {
            store = ResultStore.Resume(path, run.Manifest, Spec.Execution.RetryFailed, out var report);
            resumed = report;
            Note(string.Create(CultureInfo.InvariantCulture, $"Resuming {path}: {report.Done} samples done, {report.Retrying} failed samples to retry, {report.KeptErrors} failed samples kept{(report.DroppedTornLine is { } line ? $", a torn last line (line {line}) dropped" : string.Empty)}; cost so far: {UsageText.Cost(report.Usage, store.Manifest.PricesAsOf)}."));
            if (store.Manifest.PricesAsOf is { } stored && run.Manifest.PricesAsOf is { } now && stored != now)
            {
                Note($"warning: the store's samples were priced with the price table of {stored}; this run prices its own with that of {now}, and the reports name {stored}.");
            }
        }
        else
        {
            store = ResultStore.Create(path, run.Manifest);
        }

        RunSummary summary;
        await using (store.ConfigureAwait(false))
        {
            summary = await run.Runner.RunAsync(store, progress, cancellationToken).ConfigureAwait(false);
        }

        WritePrompts(path);
        var aggregation = Aggregator.FromStore(path);
        var reports = Spec.Execution.Shard is null
            ? ReportWriters.WriteAll(_options.ReportWriters, new ReportContext(aggregation, OutputDirectory, () => ResultReader.ReadSamples(path)) { StorePath = path, Agreement = Reporting.JudgeAgreement.FromStore(path, aggregation.Level) })
            : [];
        return new ExperimentResult { Summary = summary, Manifest = run.Manifest, Aggregation = aggregation, StorePath = Path.GetFullPath(path), Resumed = resumed, Reports = reports, SampleSource = () => ResultReader.ReadSamples(path) };
    }

    /// <summary>Runs the experiment into a sink of your own (e.g. an <see cref="InMemoryResultSink"/>); writes no files.</summary>
    /// <param name="sink">The sink; its manifest must be <see cref="CreateManifest"/>'s.</param>
    /// <param name="progress">Receives a snapshot after every sample.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The result.</returns>
    public async Task<ExperimentResult> RunAsync(IResultSink sink, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var run = Prepare();
        var differences = ResultStore.Differences(sink.Manifest, run.Manifest);
        if (differences.Count > 0)
        {
            throw new MisalignmentEvalException($"The sink holds another run; these differ: {string.Join("; ", differences)}.");
        }

        var summary = await run.Runner.RunAsync(sink, progress, cancellationToken).ConfigureAwait(false);
        return new ExperimentResult { Summary = summary, Manifest = run.Manifest, Aggregation = Aggregator.FromSink(sink), SampleSource = sink.ReadSamples };
    }

    /// <summary>The manifest the run will write (for a sink of your own).</summary>
    /// <returns>The manifest.</returns>
    public RunManifest CreateManifest()
    {
        using var run = Prepare(announce: false);
        return run.Manifest;
    }

    /// <summary>A sink in memory for this session's run.</summary>
    /// <returns>The sink.</returns>
    public InMemoryResultSink CreateInMemorySink() => new(CreateManifest());

    private void Note(string message) => _options.Log?.Invoke(message);
}
