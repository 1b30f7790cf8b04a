using System.Globalization;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Running;

/// <summary>Turning the spec into a run: the grid per model, the clients behind their rate limits, the judge, the options.</summary>
public sealed partial class ExperimentSession
{
    private SessionGrid Grid()
    {
        var catalog = _options.Scenarios;
        var spec = Spec.Expansions.Count > 0
            ? Spec
            : Spec with { Expansions = catalog.OwnGrids() };
        var union = spec.Conditions();
        if (union.Count == 0)
        {
            throw new MisalignmentEvalException($"The grid has no conditions: {spec.Expansions.Where(e => e.Enabled).Select(ConditionGrid.EmptyReason).FirstOrDefault(r => r is not null) ?? "no expansion is enabled."}");
        }

        catalog.EnsureSupported(union);
        var plan = spec.PlanByModel();
        if (plan.Count == 0)
        {
            throw new MisalignmentEvalException("The experiment names no model: add one (models: in the config, --model on the command line, or ExperimentSpec.Models).");
        }

        var models = plan.Select(p => p.Model).ToList();
        return ExperimentSpec.IsRectangular(plan) && plan[0].Conditions.Count == union.Count
            ? new SessionGrid(union, models, null)
            : new SessionGrid(union, models, plan.ToDictionary(p => p.Model, p => p.Conditions, StringComparer.Ordinal));
    }

    /// <summary>Whether a model of the run is batched: <c>--batch</c> is on and its provider has a batch API.</summary>
    private bool Batched(string model) => Spec.Execution.Batch && _options.Models.HasBatchApi(model);

    /// <summary>Whether the judge is batched: <c>--batch-judge</c> is on, there is a judge, and its provider has a batch API.</summary>
    private bool JudgeBatched() => Spec.Execution.BatchJudge && Spec.Classification.ClassifierModel is { } judge && _options.Models.HasBatchApi(judge);

    private int ConcurrencyOf(string model) =>
        Spec.Concurrency.Models.GetValueOrDefault(model, Spec.Concurrency.Models.GetValueOrDefault(ModelResolver.ModelOf(model), Spec.Concurrency.Default));

    private List<string> Warnings(SessionGrid grid)
    {
        var warnings = new List<string>();
        foreach (string scenario in grid.Conditions.Select(c => c.Scenario).Distinct(StringComparer.Ordinal))
        {
            if (_options.Scenarios.Get(scenario).ClassifierParameters.Kind is null)
            {
                warnings.Add($"Scenario '{scenario}' declares no classifier (classification.kind in its scenario.json): its samples are recorded but stay unclassified, and every report counts them as unclassified.");
            }
        }

        if (Spec.Execution.Batch)
        {
            foreach (string model in grid.Models.Where(m => !Batched(m)))
            {
                warnings.Add($"Batch mode (--batch): '{SecretScrubber.RedactUrls(model)}' runs online at the online price: its provider '{_options.Models.ProviderOf(model)}' has no batch API here.");
            }
        }

        if (Spec.Execution.BatchJudge && Spec.Classification.Enabled && Spec.Classification.ClassifierModel is { } judge && !JudgeBatched())
        {
            warnings.Add($"Batch mode (--batch-judge): the judge '{SecretScrubber.RedactUrls(judge)}' runs online at the online price: its provider '{_options.Models.ProviderOf(judge)}' has no batch API here.");
        }

        if (!Spec.Classification.Enabled)
        {
            warnings.Add("Classification is off: every sample stays unclassified until 'misalign classify' (ClassifyStoreAsync) runs.");
        }
        else if (Spec.Classification.ClassifierModel is null)
        {
            warnings.Add("No judge: verdicts are action-only (the deterministic gate decides alone).");
        }

        return warnings;
    }

    private PreparedRun Prepare(bool announce = true)
    {
        var grid = Grid();
        if (announce)
        {
            foreach (string warning in Plan().Warnings)
            {
                Note($"warning: {warning}");
            }
        }

        var limits = new RateLimitPlan(Spec.RateLimits, _options.Models.ProviderOf, _options.TimeProvider);
        try
        {
            var simulatedClients = new HashSet<string>(StringComparer.Ordinal);
            var models = grid.Models.Select(spec => Model(spec, grid, limits, simulatedClients)).ToList();
            var judge = CreateJudge(limits);
            var runner = new ExperimentRunner(_options.Scenarios, grid.Conditions, models, RunOptions(judge, grid.Models, grid.Conditions));
            bool simulated = grid.Models.All(m => _options.Models.IsSimulated(m) || simulatedClients.Contains(m));
            var manifest = runner.CreateManifest(Spec.ExperimentId, new Dictionary<string, string>
            {
                ["temperature"] = Spec.Temperature?.ToString(CultureInfo.InvariantCulture) ?? "none",
                ["max_tokens"] = Spec.MaxOutputTokens.ToString(CultureInfo.InvariantCulture),
            }, simulated);
            return new PreparedRun(runner, manifest, limits);
        }
        catch
        {
            limits.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The judge the spec names, behind the request budgets it shares, or <see langword="null"/> for action-only
    /// verdicts. A batched judge's calls wait in batches: no request budget paces them.
    /// </summary>
    private Judge? CreateJudge(RateLimitPlan limits)
    {
        if (Spec.Classification.ClassifierModel is not { } judgeSpec)
        {
            return null;
        }

        var client = _options.Models.Create(judgeSpec);
        return new Judge(judgeSpec, JudgeBatched() ? client : limits.ForJudge(judgeSpec, client), new JudgeOptions { TimeProvider = _options.TimeProvider });
    }

    private ModelUnderTest Model(string spec, SessionGrid grid, RateLimitPlan limits, HashSet<string> simulated)
    {
        if (_options.Models.CreateAgent(spec) is { } agent)
        {
            return new ModelUnderTest(agent, _options.Models.ProviderOf(spec)) { Conditions = grid.Own?[spec] };
        }

        var inner = _options.Models.Create(spec);
        if (inner.GetService<ChatClientMetadata>()?.ProviderName == ModelResolver.SimulatedProvider)
        {
            simulated.Add(spec);
        }

        // A batched model's calls wait in batches: no request or token budget paces them.
        bool batched = Batched(spec);
        Func<long> limiterWaits = static () => 0;
        var client = batched ? inner : limits.ForModel(spec, inner, out limiterWaits);
        var adaptive = inner.GetService<IRateLimitWaitSource>();
        Func<long> waits = adaptive is null ? limiterWaits : () => limiterWaits() + adaptive.RateLimitWaits;
        var options = new ChatOptions { Temperature = Spec.Temperature is { } t ? (float)t : null, MaxOutputTokens = Spec.MaxOutputTokens };
        IChatModel model = new ChatClientModel(spec, client, options) { MaxSteps = Spec.Render.StepLimit };
        if (Spec.Execution.CacheDirectory is { } cache)
        {
            model = new CachingChatModel(model, new FileDistributedCache(cache), string.Create(CultureInfo.InvariantCulture, $"temperature={Spec.Temperature};max_tokens={Spec.MaxOutputTokens}"));
        }

        return new ModelUnderTest(model, _options.Models.ProviderOf(spec)) { Conditions = grid.Own?[spec], RateLimitWaits = waits, Batched = batched };
    }

    private RunOptions RunOptions(Judge? judge, IReadOnlyList<string> models, IReadOnlyList<Condition> conditions)
    {
        var (prices, asOf) = Prices(models);
        var attempt = TimeSpan.FromSeconds(Spec.Execution.TimeoutSeconds ?? 300);
        return new RunOptions
        {
            SamplesPerCondition = Spec.SamplesPerCondition,
            Seed = Spec.Seed,
            Render = Spec.Render,
            Concurrency = Spec.Concurrency.Default,
            ModelConcurrency = Spec.Models.Concat(Spec.Expansions.SelectMany(e => e.Models)).Distinct(StringComparer.Ordinal).ToDictionary(m => m, ConcurrencyOf, StringComparer.Ordinal),
            ProviderConcurrency = Spec.Concurrency.Providers,
            Retries = Spec.Execution.Retries ?? 5,
            RetryDelay = TimeSpan.FromSeconds(Spec.Execution.RetryDelaySeconds ?? 2),
            AttemptTimeout = attempt,
            SampleTimeout = TimeSpan.FromTicks(Math.Max(attempt.Ticks * 4, TimeSpan.FromMinutes(10).Ticks)),
            Shard = Spec.Execution.Shard,
            Judge = judge,
            Policy = Spec.Classification.Policy,
            Classify = Spec.Classification.Enabled,
            ClassifyAwareness = Spec.Classification.Awareness,
            JudgeConcurrency = Spec.Classification.Concurrency ?? 4,
            Classifiers = _options.Classifiers,
            MaxCostUsd = Spec.Execution.MaxCostUsd,
            CacheBlocks = Spec.Execution.PromptCache,
            Prices = prices,
            PricesAsOf = asOf,
            FirstCostEstimates = FirstCostEstimates(prices, conditions),
            Batch = BatchSettings.From(Spec.Execution),
            BatchJudge = JudgeBatched(),
            TimeProvider = _options.TimeProvider,
        };
    }

    /// <summary>
    /// What a cost cap reserves for a model's sample before any has finished: its longest prompt (<see cref="ScenarioPrompt.CharactersPerToken"/> characters
    /// a token) at the input rate and its whole output budget, at the batch price when it is batched. A batched model's
    /// samples finish only when their batch ends, so this estimate decides how many of a first batch start.
    /// </summary>
    private Dictionary<string, double> FirstCostEstimates(Dictionary<string, ModelPrice> prices, IReadOnlyList<Condition> conditions)
    {
        if (Spec.Execution.MaxCostUsd is null || prices.Count == 0)
        {
            return new Dictionary<string, double>(StringComparer.Ordinal);
        }

        long longest = conditions.Count == 0 ? 0 : (long)Math.Ceiling(conditions.Max(c => _options.Scenarios.Render(c, Spec.Render).Characters) / ScenarioPrompt.CharactersPerToken);
        return prices.ToDictionary(p => p.Key, p => p.Value.Cost(longest, Spec.MaxOutputTokens, batched: Batched(p.Key)), StringComparer.Ordinal);
    }

    /// <summary>The price of each model of the run that has one; with a cost cap every model needs one.</summary>
    private (Dictionary<string, ModelPrice> Prices, string AsOf) Prices(IEnumerable<string> models)
    {
        var table = Spec.Execution.PricesFile is { } file ? PriceTable.WithFile(file) : PriceTable.Default;
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (string model in models)
        {
            if (table.Find(model) is { } price)
            {
                prices[model] = price;
            }
            else if (Spec.Execution.MaxCostUsd is not null)
            {
                throw new MisalignmentEvalException($"A cost cap needs a price for every model, and '{SecretScrubber.RedactUrls(model)}' has none: add it to a price file (--prices FILE, USD per million tokens).");
            }
        }

        return (prices, table.AsOf);
    }

    private sealed record SessionGrid(IReadOnlyList<Condition> Conditions, IReadOnlyList<string> Models, IReadOnlyDictionary<string, IReadOnlyList<Condition>>? Own)
    {
        public IReadOnlyList<Condition> ConditionsOf(string model) => Own?[model] ?? Conditions;
    }

    private sealed record PreparedRun(ExperimentRunner Runner, RunManifest Manifest, RateLimitPlan Limits) : IDisposable
    {
        public void Dispose() => Limits.Dispose();
    }
}
