namespace Misalignment.Eval.Running;

/// <summary>
/// An experiment: which conditions (as expansions), which models, how many samples, and how to run and
/// classify. Build it in code, or load it from JSON or from the reference implementation's YAML format with
/// <see cref="ExperimentSpecLoader"/>.
/// </summary>
public sealed partial record ExperimentSpec
{
    /// <summary>The experiment's id (names the output folder by default).</summary>
    public string ExperimentId { get; init; } = "experiment";

    /// <summary>A free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>Who runs the experiment.</summary>
    public string? Researcher { get; init; }

    /// <summary>The model specs every expansion runs against unless it names its own.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The sampling temperature, or <see langword="null"/> to send none (for models that reject it).</summary>
    public double? Temperature { get; init; } = 1.0;

    /// <summary>
    /// Where a model goes when its name alone would go elsewhere (<c>global.model_providers</c>): model name to a
    /// provider id (<c>gpt-4.1: azure-openai</c>) or a whole spec (<c>claude-opus-4-20250514: bedrock:us.anthropic.claude-opus-4-20250514-v1:0</c>).
    /// Results stay recorded under the name as written.
    /// </summary>
    public IReadOnlyDictionary<string, string> ModelProviders { get; init; } = new Dictionary<string, string>();

    /// <summary>The output-token budget of each call (default 4000).</summary>
    public int MaxOutputTokens { get; init; } = 4000;

    /// <summary>Samples per (model, condition).</summary>
    public int SamplesPerCondition { get; init; } = 1;

    /// <summary>The base seed; sample <c>i</c> uses <c>Seed + i</c> where the provider supports seeds.</summary>
    public long? Seed { get; init; }

    /// <summary>Concurrency limits.</summary>
    public ConcurrencySpec Concurrency { get; init; } = new();

    /// <summary>Rate limits.</summary>
    public RateLimitSpec RateLimits { get; init; } = new();

    /// <summary>The expansions; the run is the de-duplicated union of their products.</summary>
    public IReadOnlyList<GridExpansion> Expansions { get; init; } = [];

    /// <summary>How prompts are rendered (variant, extra instructions, alignment-faking warning, tool mode).</summary>
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>Classification settings.</summary>
    public ClassificationSpec Classification { get; init; } = new();

    /// <summary>Execution settings.</summary>
    public ExecutionSpec Execution { get; init; } = new();

    /// <summary>The output folder, or <see langword="null"/> for the default.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>
    /// Where the loaded values were written, by key path (see <see cref="LocationOf"/>): every model of
    /// <c>global.models</c> and of each expansion's <c>models</c>, each expansion's scenarios, and each expansion.
    /// Empty for a spec built in code.
    /// </summary>
    internal IReadOnlyDictionary<string, ConfigLocation> Locations { get; init; } = new Dictionary<string, ConfigLocation>();

    /// <summary>Problems found while loading that did not stop it (e.g. keys this library does not know), each naming file, line and key.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The conditions of the experiment: each enabled expansion's product, de-duplicated, in a stable order. When
    /// expansions name their own models, not every model runs all of them: see <see cref="PlanByModel"/>.
    /// </summary>
    /// <returns>The conditions.</returns>
    public IReadOnlyList<Condition> Conditions() => ConditionGrid.Expand(Expansions);

    /// <summary>The models an expansion runs against: its own list, or the experiment's.</summary>
    /// <param name="expansion">One of <see cref="Expansions"/>.</param>
    /// <returns>The model specs.</returns>
    public IReadOnlyList<string> ModelsFor(GridExpansion expansion)
    {
        ArgumentNullException.ThrowIfNull(expansion);
        return expansion.Models.Count > 0 ? expansion.Models : Models;
    }

    /// <summary>Loads an experiment file: the reference implementation's YAML (<c>.yaml</c>/<c>.yml</c>) or the same keys as JSON.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The spec, with warnings for keys this library does not know.</returns>
    /// <exception cref="MisalignmentEvalException">The file is missing or malformed; the message names the file, line and key.</exception>
    public static ExperimentSpec Load(string path) => ExperimentSpecLoader.Load(path);

    /// <summary>Reads an experiment from YAML text.</summary>
    /// <param name="yaml">The text.</param>
    /// <param name="file">The name errors give for it.</param>
    /// <returns>The spec.</returns>
    public static ExperimentSpec FromYaml(string yaml, string file = "config.yaml") => ExperimentSpecLoader.FromYaml(yaml, file);

    /// <summary>Reads an experiment from JSON text.</summary>
    /// <param name="json">The text.</param>
    /// <param name="file">The name errors give for it.</param>
    /// <returns>The spec.</returns>
    public static ExperimentSpec FromJson(string json, string file = "config.json") => ExperimentSpecLoader.FromJson(json, file);
}
