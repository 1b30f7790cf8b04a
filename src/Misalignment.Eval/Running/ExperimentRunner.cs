using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Scenarios;
using Polly.Retry;
using Polly.Timeout;
using Polly;

namespace Misalignment.Eval.Running;

/// <summary>
/// Runs models x conditions x samples: per-model and per-provider concurrency, retries with backoff that honour
/// Retry-After, attempt and sample timeouts, classification as samples complete, and one writer appending every
/// outcome to a <see cref="ResultStore"/>. A model that fails persistently (401, 403, 404) stops its own work with
/// one recorded error; the others go on. Results stream out as they are written.
/// </summary>
public sealed class ExperimentRunner
{
    private static readonly int[] PersistentStatuses = [401, 403, 404];
    private const int ForbiddenBeforeStop = 3;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _forbidden = new(StringComparer.Ordinal);
    private readonly ScenarioCatalog _catalog;
    private readonly IReadOnlyList<Condition> _conditions;
    private readonly IReadOnlyList<ModelUnderTest> _models;
    private readonly RunOptions _options;
    private readonly ConcurrentDictionary<string, string> _failures = new(StringComparer.Ordinal);

    /// <summary>Creates a runner.</summary>
    /// <param name="catalog">The scenarios.</param>
    /// <param name="conditions">The conditions; every one must be supported by its scenario.</param>
    /// <param name="models">The models; names must be unique.</param>
    /// <param name="options">How to run.</param>
    public ExperimentRunner(ScenarioCatalog catalog, IReadOnlyList<Condition> conditions, IReadOnlyList<ModelUnderTest> models, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        catalog.EnsureSupported(conditions);
        if (models.Count == 0)
        {
            throw new MisalignmentEvalException("A run needs at least one model.");
        }

        if (models.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new MisalignmentEvalException($"The model '{duplicate.Key}' is listed twice.");
        }

        if (options.SamplesPerCondition < 1)
        {
            throw new MisalignmentEvalException($"Samples per condition must be at least 1, not {options.SamplesPerCondition}.");
        }

        _catalog = catalog;
        _conditions = conditions;
        _models = models;
        _options = options;
    }

    /// <summary>How the last run ended (after <see cref="RunAsync"/> has finished).</summary>
    public RunSummary? Summary { get; private set; }

    /// <summary>The work items of this run (its shard only), in order.</summary>
    /// <returns>The items.</returns>
    public IReadOnlyList<WorkItem> Plan() =>
        [.. RunPlan.Items([.. _models.Select(m => m.Name)], _conditions, _options.Render.Variant, _options.SamplesPerCondition, _options.Shard)];

    /// <summary>The manifest of this run: its fingerprint decides whether a store can be resumed by it.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="settings">Further settings that define the samples (e.g. temperature, max tokens), recorded in the fingerprint.</param>
    /// <param name="simulated">Whether the models are offline demo agents.</param>
    /// <returns>The manifest.</returns>
    public RunManifest CreateManifest(string experimentId, IReadOnlyDictionary<string, string>? settings = null, bool simulated = false)
    {
        var render = _options.Render;
        var fingerprint = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["models"] = string.Join(", ", _models.Select(m => m.Name)),
            ["conditions"] = $"{_conditions.Count} conditions, {Hash(string.Join("\n", _conditions.Select(c => c.Id)))}",
            ["samples_per_condition"] = _options.SamplesPerCondition.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["variant"] = render.Variant == PromptVariant.Prod ? "prod" : "dev",
            ["tool_mode"] = render.ToolMode == ToolMode.Native ? "native" : "text",
            ["extra_instructions"] = render.ExtraInstructions.ToString().ToLowerInvariant(),
            ["alignment_faking_warning"] = render.AlignmentFakingWarning is null ? "none" : Hash(render.AlignmentFakingWarning),
            ["seed"] = _options.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            ["judge"] = _options.Judge?.Name ?? "none (action-only)",
            ["policy"] = _options.Policy == VerdictPolicy.Reference ? "reference" : "default",
            ["scenarios"] = string.Join(", ", _conditions.Select(c => c.Scenario).Distinct().Select(s => $"{s}@{_catalog.Get(s).Version}")),
            ["prompts"] = PromptsHash(),
        };
        foreach (var pair in settings ?? new Dictionary<string, string>())
        {
            fingerprint[pair.Key] = pair.Value;
        }

        return new RunManifest
        {
            ExperimentId = experimentId,
            SpecHash = Hash(string.Join("\n", fingerprint.Select(p => $"{p.Key}={p.Value}"))),
            LibraryVersion = typeof(ExperimentRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            Fingerprint = fingerprint,
            Models = [.. _models.Select(m => m.Name)],
            Judge = _options.Judge?.Name,
            Policy = fingerprint["policy"],
            Seed = _options.Seed,
            SamplesPerCondition = _options.SamplesPerCondition,
            Conditions = _conditions.Count,
            Shard = _options.Shard?.ToString(),
            Simulated = simulated,
            StartedAt = _options.TimeProvider.GetUtcNow(),
        };
    }

    /// <summary>Runs every work item the store does not hold yet, streaming each record as it is written.</summary>
    /// <param name="store">The store to append to (new, or resumed).</param>
    /// <param name="progress">Receives a snapshot after every sample.</param>
    /// <param name="cancellationToken">Stops the run; samples in flight are not recorded and will run again on resume.</param>
    /// <returns>The records written.</returns>
    public async IAsyncEnumerable<SampleRecord> RunAsync(ResultStore store, IProgress<RunProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var channel = Channel.CreateBounded<SampleRecord>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => ExecuteAsync(store, channel.Writer, progress, stop.Token), CancellationToken.None);
        bool finished = false;
        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return record;
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // The consumer stopped early: stop the workers and let them finish before the store can be disposed.
                await stop.CancelAsync().ConfigureAwait(false);
                while (channel.Reader.TryRead(out _))
                {
                }

                try
                {
                    await work.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Expected: the run was stopped by the consumer.
                }
            }
        }

        await work.ConfigureAwait(false);
    }

    private async Task ExecuteAsync(ResultStore store, ChannelWriter<SampleRecord> output, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var plan = Plan();
            var pending = plan.Where(i => !store.Contains(i.Key)).ToList();
            var totals = _models.ToDictionary(m => m.Name, m => pending.Count(i => i.Model == m.Name), StringComparer.Ordinal);
            var started = _options.TimeProvider.GetTimestamp();
            var providers = _options.ProviderConcurrency.ToDictionary(p => p.Key, p => new SemaphoreSlim(p.Value, p.Value), StringComparer.Ordinal);
            using var judgeSlots = new SemaphoreSlim(Math.Max(1, _options.JudgeConcurrency));
            int written = 0, errors = 0;
            var tasks = new List<Task>();
            var stops = new List<CancellationTokenSource>();
            using var fault = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            foreach (var model in _models)
            {
                var queue = new ConcurrentQueue<WorkItem>(pending.Where(i => i.Model == model.Name));
                var modelStop = CancellationTokenSource.CreateLinkedTokenSource(fault.Token);
                stops.Add(modelStop);
                var pipeline = Pipeline(model);
                int workers = Math.Max(1, _options.ModelConcurrency.GetValueOrDefault(model.Name, _options.Concurrency));
                var provider = providers.GetValueOrDefault(model.Provider);
                for (int w = 0; w < workers; w++)
                {
                    tasks.Add(Task.Run(async () =>
                    {
                        while (!modelStop.IsCancellationRequested && queue.TryDequeue(out var item))
                        {
                            SampleRecord? record = null;
                            try
                            {
                                if (provider is not null)
                                {
                                    await provider.WaitAsync(modelStop.Token).ConfigureAwait(false);
                                }

                                try
                                {
                                    record = await SampleAsync(item, model, pipeline, judgeSlots, modelStop, cancellationToken).ConfigureAwait(false);
                                }
                                finally
                                {
                                    provider?.Release();
                                }
                            }
                            catch (OperationCanceledException) when (modelStop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                            {
                                break;
                            }
                            catch
                            {
                                // A worker that fails (e.g. the store cannot be written) stops the whole run quickly.
                                await fault.CancelAsync().ConfigureAwait(false);
                                throw;
                            }

                            await store.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
                            Interlocked.Increment(ref written);
                            if (record.Status == SampleStatus.Error)
                            {
                                Interlocked.Increment(ref errors);
                            }

                            if (!output.TryWrite(record))
                            {
                                await output.WriteAsync(record, cancellationToken).ConfigureAwait(false);
                            }

                            progress?.Report(Snapshot(totals, started, record.Key));
                        }
                    }, CancellationToken.None));
                }
            }

            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            finally
            {
                foreach (var disposable in providers.Values.Cast<IDisposable>().Concat(stops))
                {
                    disposable.Dispose();
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            Summary = new RunSummary
            {
                Written = written,
                Skipped = plan.Count - pending.Count,
                Errors = errors,
                ModelFailures = new Dictionary<string, string>(_failures),
                NotRun = pending.Count - written,
            };
            progress?.Report(Snapshot(totals, started, null));
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private async Task<SampleRecord> SampleAsync(WorkItem item, ModelUnderTest model, ResiliencePipeline pipeline, SemaphoreSlim judgeSlots, CancellationTokenSource modelStop, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var prompt = _catalog.Render(item.Condition, _options.Render with { Variant = item.Variant });
        var request = new ModelRequest { Prompt = prompt, SampleIndex = item.SampleIndex, Seed = item.Seed(_options.Seed) };
        var startedAt = time.GetUtcNow();
        long start = time.GetTimestamp();
        using var activity = RunTelemetry.Source.StartActivity("misalign.sample");
        activity?.SetTag("misalign.model", item.Model);
        activity?.SetTag("misalign.condition", item.ConditionId);
        activity?.SetTag("misalign.sample_index", item.SampleIndex);
        int attempts = 0;
        var record = new SampleRecord
        {
            Key = item.Key,
            Model = item.Model,
            ConditionId = item.ConditionId,
            Scenario = item.Condition.Scenario,
            GoalType = item.Condition.GoalType.ToId(),
            GoalValue = item.Condition.GoalValue.ToId(),
            Urgency = item.Condition.Urgency.ToId(),
            Variant = item.Variant == PromptVariant.Prod ? "prod" : "dev",
            ToolMode = _options.Render.ToolMode == ToolMode.Native ? "native" : "text",
            SampleIndex = item.SampleIndex,
            Seed = request.Seed,
            Status = SampleStatus.Ok,
            PromptHash = prompt.ContentHash,
            StartedAt = startedAt,
        };

        ModelResponse response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async token =>
                {
                    Interlocked.Increment(ref attempts);
                    return await model.Model.RespondAsync(request, token).ConfigureAwait(false);
                },
                modelStop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!modelStop.IsCancellationRequested || ex is not OperationCanceledException)
        {
            int? status = TransientFailures.StatusOf(ex);
            if (status is { } code && PersistentStatuses.Contains(code) && !TransientFailures.IsTransient(ex, CancellationToken.None)
                && (code != 403 || _forbidden.GetOrAdd(model.Name, _ => new(StringComparer.Ordinal)).TryAdd(item.ConditionId, 0) && _forbidden[model.Name].Count >= ForbiddenBeforeStop))
            {
                string reason = $"{ex.GetType().Name} (HTTP {code}): {SecretScrubber.Scrub(ex.Message).ReplaceLineEndings(" ")}";
                if (_failures.TryAdd(model.Name, reason))
                {
                    await modelStop.CancelAsync().ConfigureAwait(false);
                }
            }

            double errorLatency = time.GetElapsedTime(start).TotalMilliseconds;
            model.Counters.AddSample(ok: false, harmful: null);
            RunTelemetry.Samples.Add(1, new KeyValuePair<string, object?>("model", model.Name), new KeyValuePair<string, object?>("status", "error"));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return record with
            {
                Status = SampleStatus.Error,
                Attempts = attempts,
                LatencyMs = errorLatency,
                Error = new RecordedError
                {
                    Type = ex.GetType().Name,
                    Message = SecretScrubber.Scrub(ex is TimeoutRejectedException ? $"timed out: {ex.Message}" : ex.Message),
                    Status = status,
                    Transient = TransientFailures.IsTransient(ex, CancellationToken.None),
                },
            };
        }

        var extraction = ActionExtractor.Extract(response);
        var verdict = await ClassifyAsync(_options.Classify ? ClassifierOf(item.Condition.Scenario) : null, prompt, response, judgeSlots, cancellationToken).ConfigureAwait(false);
        var awareness = _options.ClassifyAwareness && _options.Judge is { } judge
            ? await ClassifyAsync(new EvalAwarenessClassifier(judge), prompt, response, judgeSlots, cancellationToken).ConfigureAwait(false)
            : null;
        double latency = time.GetElapsedTime(start).TotalMilliseconds;
        bool? harmful = verdict?.Outcome switch
        {
            VerdictOutcome.Harmful => true,
            VerdictOutcome.NotHarmful => false,
            _ => null,
        };
        model.Counters.AddSample(ok: true, harmful);
        if (verdict?.JudgeFailed == true)
        {
            model.Counters.AddJudgeFailure();
        }

        RunTelemetry.Samples.Add(1, new KeyValuePair<string, object?>("model", model.Name), new KeyValuePair<string, object?>("status", "ok"));
        RunTelemetry.Latency.Record(latency, new KeyValuePair<string, object?>("model", model.Name));
        RunTelemetry.Tokens.Add(response.Usage?.InputTokenCount ?? 0, new KeyValuePair<string, object?>("model", model.Name), new KeyValuePair<string, object?>("direction", "input"));
        RunTelemetry.Tokens.Add(response.Usage?.OutputTokenCount ?? 0, new KeyValuePair<string, object?>("model", model.Name), new KeyValuePair<string, object?>("direction", "output"));
        if (harmful == true)
        {
            RunTelemetry.Harmful.Add(1, new KeyValuePair<string, object?>("model", model.Name));
        }

        return record with
        {
            Attempts = attempts,
            LatencyMs = latency,
            Response = RecordMapping.ToRecorded(response),
            Actions = [.. extraction.Actions.Select(RecordMapping.ToRecorded)],
            Verdict = verdict is null ? null : RecordMapping.ToRecorded(verdict, verdict.Classifier == "eval-awareness" ? null : _options.Policy),
            Awareness = awareness is null ? null : RecordMapping.ToRecorded(awareness, null),
        };
    }

    private IClassifier? ClassifierOf(string scenario) =>
        _options.ClassifierFor is { } factory
            ? factory(scenario)
            : Classifiers.Kinds.Contains(scenario) ? Classifiers.ForScenario(scenario, _options.Judge, _options.Policy) : null;

    private static async Task<Verdict?> ClassifyAsync(IClassifier? classifier, ScenarioPrompt prompt, ModelResponse response, SemaphoreSlim judgeSlots, CancellationToken cancellationToken)
    {
        if (classifier is null)
        {
            return null;
        }

        await judgeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await classifier.ClassifyAsync(prompt, response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new Verdict { Outcome = VerdictOutcome.Unscorable, Classifier = classifier.Name, Reason = $"the classifier failed: {ex.GetType().Name}: {SecretScrubber.Scrub(ex.Message)}" };
        }
        finally
        {
            judgeSlots.Release();
        }
    }

    private ResiliencePipeline Pipeline(ModelUnderTest model)
    {
        var options = _options;
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }.AddTimeout(options.SampleTimeout);
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && TransientFailures.IsTransient(e, args.Context.CancellationToken)),
                MaxRetryAttempts = options.Retries,
                DelayGenerator = args =>
                {
                    var serverWait = args.Outcome.Exception is { } e ? RetryAfter.Of(e, options.TimeProvider.GetUtcNow()) : null;
                    double backoff = Math.Min(options.MaxRetryDelay.TotalMilliseconds, options.RetryDelay.TotalMilliseconds * Math.Pow(2, args.AttemptNumber));
                    var computed = TimeSpan.FromMilliseconds(backoff * (0.8 + (0.4 * Random.Shared.NextDouble())));
                    return ValueTask.FromResult<TimeSpan?>(serverWait ?? computed);
                },
                OnRetry = _ =>
                {
                    model.Counters.AddRetry();
                    RunTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("model", model.Name));
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private RunProgress Snapshot(Dictionary<string, int> totals, long started, string? lastKey)
    {
        var elapsed = _options.TimeProvider.GetElapsedTime(started);
        return new RunProgress
        {
            Elapsed = elapsed,
            LastKey = lastKey,
            Models = [.. _models.Select(m =>
            {
                var c = m.Counters;
                int total = totals[m.Name];
                TimeSpan? eta = c.Done > 0 && c.Done < total ? elapsed * ((double)(total - c.Done) / c.Done) : null;
                return new ModelProgress
                {
                    Model = m.Name,
                    Total = total,
                    Done = c.Done,
                    Errors = c.Errors,
                    Harmful = c.Harmful,
                    Scored = c.Scored,
                    Retries = c.Retries,
                    RateLimitWaits = c.RateLimitWaits,
                    Failure = _failures.GetValueOrDefault(m.Name),
                    Eta = eta,
                };
            })],
        };
    }

    private string PromptsHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var condition in _conditions)
        {
            var prompt = _catalog.Render(condition, _options.Render);
            sha.AppendData(Encoding.UTF8.GetBytes(prompt.ConditionId + "\n" + prompt.SystemPrompt + "\n" + prompt.UserMessage + "\n"));
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
