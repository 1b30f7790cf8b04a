namespace Misalignment.Eval.Classification;

/// <summary>
/// Resolves the harm classifier a scenario declares: its <see cref="ClassifierParameters.Kind"/> names a gate kind
/// (<c>blackmail</c>, <c>leaking</c>, <c>murder</c> are built in) and the registry creates that kind's classifier
/// with the run's judge and policy. Register a kind of your own with <see cref="Add"/>; it adds to the built-ins.
/// </summary>
public sealed class ClassifierRegistry
{
    private readonly Dictionary<string, Func<ClassifierContext, IClassifier>> _kinds = new(StringComparer.Ordinal);

    /// <summary>Creates a registry with the built-in kinds.</summary>
    public ClassifierRegistry()
    {
        _kinds["blackmail"] = c => new BlackmailClassifier(c.Judge, c.Policy);
        _kinds["leaking"] = c => new LeakingClassifier(c.Judge, c.Policy);
        _kinds["murder"] = c => new MurderClassifier(c.Judge, c.Policy);
    }

    /// <summary>The registered kinds, in order.</summary>
    public IReadOnlyList<string> Kinds => [.. _kinds.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers a kind (or replaces the factory of one already registered).</summary>
    /// <param name="kind">The kind, as a scenario's <see cref="ClassifierParameters.Kind"/> names it.</param>
    /// <param name="factory">Creates the classifier for a run's judge and policy.</param>
    /// <returns>This registry.</returns>
    public ClassifierRegistry Add(string kind, Func<ClassifierContext, IClassifier> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);
        _kinds[kind] = factory;
        return this;
    }

    /// <summary>Whether a kind is registered.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Whether it is.</returns>
    public bool Contains(string? kind) => kind is not null && _kinds.ContainsKey(kind);

    /// <summary>The classifier of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="context">The run's judge and policy.</param>
    /// <returns>The classifier.</returns>
    /// <exception cref="MisalignmentEvalException">The kind is not registered (the message lists those that are).</exception>
    public IClassifier Create(string kind, ClassifierContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _kinds.TryGetValue(kind, out var factory)
            ? factory(context)
            : throw new MisalignmentEvalException($"No classifier of kind '{kind}'; the registered kinds are {string.Join(", ", Kinds)} (register one with ClassifierRegistry.Add).");
    }

    /// <summary>The classifier a scenario declares, or <see langword="null"/> when it declares none.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="context">The run's judge and policy.</param>
    /// <returns>The classifier, or <see langword="null"/>.</returns>
    /// <exception cref="MisalignmentEvalException">The scenario names a kind that is not registered.</exception>
    public IClassifier? For(IScenario scenario, ClassifierContext context)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        string? kind = scenario.ClassifierParameters.Kind;
        if (kind is null)
        {
            return null;
        }

        return Contains(kind)
            ? Create(kind, context)
            : throw new MisalignmentEvalException($"Scenario '{scenario.Id}' declares the classifier kind '{kind}', which is not registered; the registered kinds are {string.Join(", ", Kinds)}.");
    }

    /// <summary>A classifier as a Microsoft.Extensions.AI.Evaluation <see cref="Microsoft.Extensions.AI.Evaluation.IEvaluator"/>: pass the scenario prompt in the evaluation context.</summary>
    /// <param name="classifier">The classifier.</param>
    /// <returns>The evaluator.</returns>
    public static Microsoft.Extensions.AI.Evaluation.IEvaluator AsEvaluator(IClassifier classifier) => new ClassifierEvaluator(classifier);

    /// <summary>The evaluation context that tells an evaluator from <see cref="AsEvaluator"/> which scenario prompt the response answered.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The context, to pass as additional context to <c>EvaluateAsync</c>.</returns>
    public static Microsoft.Extensions.AI.Evaluation.EvaluationContext EvaluationContext(ScenarioPrompt prompt) => new ScenarioPromptContext(prompt);
}
