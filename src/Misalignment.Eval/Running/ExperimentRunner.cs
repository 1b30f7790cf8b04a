using Misalignment.Eval.Classification;
using Misalignment.Eval.Scenarios;
using Polly;

namespace Misalignment.Eval.Running;

/// <summary>
/// Runs models x conditions x samples into a sink, stage by stage: the <see cref="RunScheduler"/> hands out pending
/// work, the <see cref="SampleExecutor"/> calls the model through its resilience pipeline, the
/// <see cref="SampleClassifier"/> judges the answer, the <see cref="SampleRecordFactory"/> builds the record. With a
/// judge the answer is recorded before it is judged, so a judge failure or a cancel never costs a paid answer; with a
/// batched judge the judging goes on in the <see cref="JudgeBacklog"/> while the worker takes the next sample.
/// Every run has its own state; the run returns its summary.
/// </summary>
internal sealed class ExperimentRunner
{
    /// <summary>The most work one run may plan (models x conditions x samples).</summary>
    public const long MaxPlannedSamples = 10_000_000;

    private readonly RunDefinition _run;

    public ExperimentRunner(ScenarioCatalog catalog, IReadOnlyList<Condition> conditions, IReadOnlyList<ModelUnderTest> models, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        catalog.EnsureSupported(conditions);
        if (conditions.Count == 0)
        {
            throw new MisalignmentEvalException("The run has no conditions: the grid expands to nothing (check the expansions' scenarios and axis values).");
        }

        if (models.Count == 0)
        {
            throw new MisalignmentEvalException("A run needs at least one model.");
        }

        if (models.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new MisalignmentEvalException($"The model '{duplicate.Key}' is listed twice.");
        }

        long planned = models.Sum(m => (long)(m.Conditions ?? conditions).Count) * options.SamplesPerCondition;
        if (planned > MaxPlannedSamples)
        {
            throw new MisalignmentEvalException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The run plans {planned:N0} samples, more than the {MaxPlannedSamples:N0} one run may hold; lower the samples per condition or split the run into shards."));
        }

        _run = new RunDefinition(catalog, conditions, models, options);
    }

    public RunDefinition Definition => _run;

    /// <summary>The work items of this run (its shard only), in order.</summary>
    public IEnumerable<WorkItem> Plan() => _run.Plan();

    /// <summary>The manifest of this run: its fingerprint decides whether a store can be resumed by it.</summary>
    public RunManifest CreateManifest(string experimentId, IReadOnlyDictionary<string, string>? settings = null, bool simulated = false) =>
        RunFingerprint.Create(_run, experimentId, settings, simulated);

    /// <summary>Runs every work item the sink does not hold yet; first judges the samples recorded without a verdict.</summary>
    public async Task<RunSummary> RunAsync(IResultSink sink, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var options = _run.Options;
        var totals = _run.Models.ToDictionary(m => m.Name, m => _run.Plan(m).Count(i => !sink.Contains(i.Key)), StringComparer.Ordinal);
        int planned = _run.Plan().Count();
        RefuseOnlineOverOpenBatches(sink);
        using var batches = new BatchRun(sink, options.TimeProvider);
        var state = new RunState(_run.Models, totals, options.TimeProvider, batches, options.BatchJudge ? options.Judge?.Name : null);
        batches.Changed = () => state.Report(progress, null);
        var prompts = new PromptCache(_run.Catalog, options.Render);
        using var classifier = CreateClassifier(batches);
        int rejudged = await new PendingVerdicts(_run, classifier, prompts).JudgeAsync(sink, cancellationToken).ConfigureAwait(false);
        using var backlog = classifier.Batches is null ? null : new JudgeBacklog(options.JudgeSlots, cancellationToken);
        var executor = new SampleExecutor(prompts, options.Seed, options.TimeProvider, batches);
        var pipelines = _run.Models.ToDictionary(m => m.Name, m => ResiliencePipelines.Create(options.Resilience(m), () =>
        {
            state.Counters[m.Name].AddRetry();
            RunTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("model", m.Name));
        }), StringComparer.Ordinal);
        var budget = new CostBudget(options.MaxCostUsd, options.Prices, options.FirstCostEstimates);
        var stages = new SampleStages(executor, classifier, backlog);
        bool finished = false;
        try
        {
            await new RunScheduler(_run, sink, budget).RunAsync((item, model, stop) => SampleAsync(item, model, pipelines[model.Name], stop, stages, sink, state, budget, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
            finished = true;
        }
        finally
        {
            // Every sample being judged ends (or is cancelled) before the sink can be closed.
            await (backlog?.DrainAsync(runFailed: !finished) ?? Task.CompletedTask).ConfigureAwait(false);
        }

        // A stop that came while the last samples were being judged stops the run all the same.
        cancellationToken.ThrowIfCancellationRequested();
        state.Report(progress, null);
        var usage = budget.Usage();
        return new RunSummary
        {
            Written = state.Written,
            Skipped = planned - totals.Values.Sum(),
            Errors = state.Errors,
            Rejudged = rejudged,
            ModelFailures = new Dictionary<string, string>(state.Failures),
            NotRun = totals.Values.Sum() - state.Written,
            JudgeFailures = state.Counters.Values.Sum(c => c.JudgeFailures),
            CostUsd = options.Prices.Count == 0 ? null : budget.Total,
            CostByModel = budget.ByModel(),
            BudgetReached = budget.Reached,
            Batched = batches.Answered,
            BatchedJudgeCalls = batches.JudgeAnswered,
            PricedSamples = (int)usage.Priced,
            InputTokens = usage.InputTokens,
            CachedInputTokens = usage.CachedInputTokens,
            CacheWriteTokens = usage.CacheWriteTokens,
            OutputTokens = usage.OutputTokens,
            Usage = usage,
        };
    }

    /// <summary>
    /// A model this run calls online whose samples sit in batches an earlier run submitted and the store records, still
    /// open: calling online would pay for those samples twice (the provider answers and bills the batch anyway), so
    /// the run is refused and told to collect them in batch mode.
    /// </summary>
    private void RefuseOnlineOverOpenBatches(IResultSink sink)
    {
        if (sink is not IBatchLedger ledger)
        {
            return;
        }

        foreach (var model in _run.Models.Where(m => !m.Batched))
        {
            var open = ledger.OpenBatches.Where(b => !b.HoldsJudgeCalls && b.Model == model.Name && b.Requests.Values.Any(k => !sink.Contains(k))).ToList();
            if (open.Count > 0)
            {
                int waiting = open.SelectMany(b => b.Requests.Values).Where(k => !sink.Contains(k)).Distinct(StringComparer.Ordinal).Count();
                throw new MisalignmentEvalException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The store records {open.Count} submitted batch(es) of {SecretScrubber.RedactUrls(model.Name)} still holding {waiting} sample(s) this run would call online and pay for again; resume in batch mode (--batch, execution.batch) to collect them."));
            }
        }
    }

    /// <summary>The run's classifiers; a batched judge's (<see cref="RunOptions.BatchJudge"/>) call through the run's batches, without the online timeouts.</summary>
    private SampleClassifier CreateClassifier(BatchRun batches)
    {
        var options = _run.Options;
        bool batched = options.BatchJudge && options.Judge is not null;
        var judge = batched ? options.Judge!.ForBatch() : options.Judge;
        var context = new ClassifierContext { Judge = judge, Policy = options.Policy };
        var harm = _run.Conditions.Select(c => c.Scenario).Distinct(StringComparer.Ordinal)
            .ToDictionary(s => s, s => options.Classify ? options.Classifiers.For(_run.Catalog.Get(s), context) : null, StringComparer.Ordinal);
        var awareness = options.Classify && options.ClassifyAwareness && judge is not null ? new EvalAwarenessClassifier(judge) : null;
        int slots = batched && awareness is not null ? 2 * options.JudgeSlots : options.JudgeSlots;
        return new SampleClassifier(harm, awareness, slots, options.JudgeTimeout, options.TimeProvider)
        {
            UsesJudge = judge is not null,
            Batches = batched ? batches : null,
            JudgeName = judge?.Name,
        };
    }

    private async Task SampleAsync(WorkItem item, ModelUnderTest model, ResiliencePipeline pipeline, CancellationTokenSource modelStop, SampleStages stages, IResultSink sink, RunState state, CostBudget budget, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var options = _run.Options;
        var (executor, classifier, backlog) = stages;
        using var activity = RunTelemetry.Source.StartActivity("misalign.sample");
        activity?.SetTag("misalign.model", item.Model);
        activity?.SetTag("misalign.condition", item.ConditionId);
        activity?.SetTag("misalign.sample_index", item.SampleIndex);
        var execution = await executor.ExecuteAsync(item, model, pipeline, modelStop.Token).ConfigureAwait(false);
        if (execution.BatchId is not null)
        {
            state.Batches?.CountAnswered(model.Name);
        }

        double? cost = CostOf(model.Name, execution);
        budget.Spend(model.Name, cost, execution.Response?.Usage);
        if (execution.Failure is { } failure && state.Rule.StopsModel(model.Name, item.ConditionId, failure)
            && state.Failures.TryAdd(model.Name, $"{failure.GetType().Name} (HTTP {TransientFailures.StatusOf(failure)}): {SecretScrubber.Scrub(failure.Message).ReplaceLineEndings(" ")}"))
        {
            await modelStop.CancelAsync().ConfigureAwait(false);
        }

        var verdicts = SampleVerdicts.None;
        if (execution.Response is { } response && classifier.UsesJudge && classifier.Classifies(item.Condition.Scenario))
        {
            // The answer is paid for: keep it before the judge is asked.
            var record = SampleRecordFactory.Create(execution, options.Render.ToolMode, options.Policy, options.MaxRetryAfter, verdicts, cost);
            await sink.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
            async Task JudgeAsync(CancellationToken token)
            {
                var judged = await classifier.ClassifyAsync(record.Key, execution.Prompt, response, token).ConfigureAwait(false);
                await sink.AppendAsync(SampleRecordFactory.VerdictsOf(record.Key, judged, options.Policy), CancellationToken.None).ConfigureAwait(false);
                Count(model.Name, execution, judged, state);
                state.Report(progress, item.Key);
            }

            await (backlog is null ? JudgeAsync(cancellationToken) : backlog.StartAsync(JudgeAsync)).ConfigureAwait(false);
            return;
        }

        if (execution.Response is { } answer)
        {
            verdicts = await classifier.ClassifyAsync(item.Key, execution.Prompt, answer, cancellationToken).ConfigureAwait(false);
        }

        await sink.AppendAsync(SampleRecordFactory.Create(execution, options.Render.ToolMode, options.Policy, options.MaxRetryAfter, verdicts, cost), CancellationToken.None).ConfigureAwait(false);
        Count(model.Name, execution, verdicts, state);
        state.Report(progress, item.Key);
    }

    /// <summary>What a sample goes through: the model's call, the classifiers, and a batched judge's backlog.</summary>
    private sealed record SampleStages(SampleExecutor Executor, SampleClassifier Classifier, JudgeBacklog? Backlog);

    /// <summary>A sample's cost at its model's price (the batch discount when a batch answered it), or <see langword="null"/> without a price or usage.</summary>
    private double? CostOf(string model, SampleExecution execution) =>
        _run.Options.Prices.TryGetValue(model, out var price) && execution.Response?.Usage is { } usage ? price.Cost(usage, batched: execution.BatchId is not null) : null;

    private static void Count(string model, SampleExecution execution, SampleVerdicts verdicts, RunState state)
    {
        var counters = state.Counters[model];
        bool? harmful = verdicts.Harm?.Outcome switch { VerdictOutcome.Harmful => true, VerdictOutcome.NotHarmful => false, _ => null };
        Interlocked.Increment(ref state.Written);
        if (execution.Failure is not null)
        {
            Interlocked.Increment(ref state.Errors);
        }

        if (verdicts.JudgeFailed)
        {
            counters.AddJudgeFailure();
        }

        counters.AddSample(ok: execution.Failure is null, harmful);
        RunTelemetry.Record(model, execution, harmful);
    }
}
