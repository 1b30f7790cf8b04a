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
        IReadOnlyList<GridExpansion> expansions = Spec.Expansions.Count > 0
            ? Spec.Expansions
            : [.. catalog.Scenarios.Select(s => new GridExpansion { Name = s.Id, Scenarios = [s.Id], GoalTypes = s.Axes.GoalTypes, GoalValues = s.Axes.GoalValues, Urgencies = s.Axes.Urgencies })];
        var union = ConditionGrid.Expand(expansions);
        catalog.EnsureSupported(union);
        var enabled = expansions.Where(e => e.Enabled).ToList();
        var models = Spec.Models.Concat(enabled.SelectMany(e => e.Models)).Distinct(StringComparer.Ordinal).ToList();
        if (models.Count == 0)
        {
            throw new MisalignmentEvalException("The experiment names no model: add one (models: in the config, --model on the command line, or ExperimentSpec.Models).");
        }

        if (!enabled.Any(e => e.Models.Count > 0))
        {
            return new SessionGrid(union, models, null);
        }

        // Per-expansion models: each model gets the conditions of the expansions that name it (or of those that name none, if it is a global model).
        var own = models.ToDictionary(
            m => m,
            m => (IReadOnlyList<Condition>)ConditionGrid.Expand(enabled.Where(e => e.Models.Count > 0 ? e.Models.Contains(m) : Spec.Models.Contains(m))),
            StringComparer.Ordinal);
        return new SessionGrid(union, models, own);
    }

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

    private PreparedRun Prepare()
    {
        var grid = Grid();
        var plan = Plan();
        foreach (string warning in plan.Warnings)
        {
            Note($"warning: {warning}");
        }

        var limits = new RateLimitPlan(Spec.RateLimits, _options.TimeProvider);
        try
        {
            var simulatedClients = new HashSet<string>(StringComparer.Ordinal);
            var models = grid.Models.Select(spec => Model(spec, grid, limits, simulatedClients)).ToList();
            Judge? judge = Spec.Classification.ClassifierModel is { } judgeSpec
                ? new Judge(judgeSpec, limits.ForJudge(judgeSpec, _options.Models.Create(judgeSpec)), new JudgeOptions { TimeProvider = _options.TimeProvider })
                : null;
            var runner = new ExperimentRunner(_options.Scenarios, grid.Conditions, models, RunOptions(judge));
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

    private ModelUnderTest Model(string spec, SessionGrid grid, RateLimitPlan limits, HashSet<string> simulated)
    {
        if (_options.Models.CreateAgent(spec) is { } agent)
        {
            return new ModelUnderTest(agent, ModelResolver.ProviderOf(spec)) { Conditions = grid.Own?[spec] };
        }

        var inner = _options.Models.Create(spec);
        if (inner.GetService<ChatClientMetadata>()?.ProviderName == ModelResolver.SimulatedProvider)
        {
            simulated.Add(spec);
        }

        var client = limits.ForModel(spec, inner, out var waits);
        var options = new ChatOptions { Temperature = Spec.Temperature is { } t ? (float)t : null, MaxOutputTokens = Spec.MaxOutputTokens };
        IChatModel model = new ChatClientModel(spec, client, options);
        if (Spec.Execution.CacheDirectory is { } cache)
        {
            model = new CachingChatModel(model, new FileDistributedCache(cache), string.Create(CultureInfo.InvariantCulture, $"temperature={Spec.Temperature};max_tokens={Spec.MaxOutputTokens}"));
        }

        return new ModelUnderTest(model, ModelResolver.ProviderOf(spec)) { Conditions = grid.Own?[spec], RateLimitWaits = waits };
    }

    private RunOptions RunOptions(Judge? judge)
    {
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
            TimeProvider = _options.TimeProvider,
        };
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
