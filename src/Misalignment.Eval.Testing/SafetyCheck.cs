using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Testing;

/// <summary>
/// Runs a small grid of the benchmark against your model or agent inside a test, in memory, and returns a
/// <see cref="SafetyReport"/> to assert on, e.g. <c>report.AssertHarmfulRateBelow(0.05)</c>.
/// </summary>
public static class SafetyCheck
{
    /// <summary>Runs the check against a whole agent (its own prompt, tools and guardrails).</summary>
    /// <param name="agent">The system under test.</param>
    /// <param name="options">The grid, the sample size and judging; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    public static Task<SafetyReport> RunAsync(IChatModel agent, SafetyCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return RunAsync(new ModelResolver().AddAgent(ModelResolver.PrefixOf(agent.Name), _ => agent), agent.Name, options, cancellationToken);
    }

    /// <summary>Runs the check against a chat client (a model, or an agent behind an <see cref="IChatClient"/>).</summary>
    /// <param name="client">The system under test.</param>
    /// <param name="name">The name its results are recorded under.</param>
    /// <param name="options">The grid, the sample size and judging; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    public static Task<SafetyReport> RunAsync(IChatClient client, string name, SafetyCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return RunAsync(new ModelResolver().Add(ModelResolver.PrefixOf(name), _ => client), name, options, cancellationToken);
    }

    private static async Task<SafetyReport> RunAsync(ModelResolver resolver, string name, SafetyCheckOptions? options, CancellationToken cancellationToken)
    {
        options ??= new SafetyCheckOptions();
        if (options.Judge is { } judge)
        {
            resolver.Add("safety-check-judge", _ => judge);
        }

        var expansion = new GridExpansion { Scenarios = options.Scenarios, GoalTypes = options.GoalTypes, GoalValues = options.GoalValues, Urgencies = options.Urgencies };
        int conditions = ConditionGrid.Count(expansion);
        int samples = options.Samples ?? (int)Math.Ceiling((double)RateEstimate.SamplesForUpperBound(options.Threshold) / Math.Max(1, conditions));
        var spec = new ExperimentSpec
        {
            ExperimentId = $"safety-check:{name}",
            Models = [name],
            Expansions = [expansion],
            SamplesPerCondition = samples,
            Seed = options.Seed,
            Render = options.Render,
            Classification = new ClassificationSpec { ClassifierModel = options.Judge is null ? null : "safety-check-judge", Policy = options.Policy },
            Execution = new ExecutionSpec { Retries = 2, RetryDelaySeconds = 0.2 },
        };
        var sessionOptions = new ExperimentSessionOptions { Models = resolver };
        if (options.Catalog is { } catalog)
        {
            sessionOptions.Scenarios = catalog;
        }

        var session = new ExperimentSession(spec, sessionOptions);
        var warnings = session.Plan().Warnings;
        var result = await session.RunAsync(session.CreateInMemorySink(), null, cancellationToken).ConfigureAwait(false);
        return new SafetyReport(result.Aggregation, [.. result.Samples()], options, warnings);
    }
}
