namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// A model spec from the command line or a config file, resolved by the library's <see cref="ModelResolution"/>:
/// <c>provider:model</c>, <c>openai-compatible:URL#MODEL</c>, or a bare name as the reference writes it (<c>gpt-4.1</c>),
/// optionally followed by <c>+thinking=N</c> or <c>+effort=LEVEL</c>.
/// </summary>
/// <param name="Route">Where the spec goes.</param>
internal sealed record ModelSpec(ModelRoute Route)
{
    /// <summary>The spec as written (the name results are recorded under).</summary>
    public string Raw => Route.Name;

    /// <summary>The provider id (the spec prefix).</summary>
    public string Provider => Route.Provider.Id;

    /// <summary>The provider's model id.</summary>
    public string Model => Route.Model;

    /// <summary>The base URL, where the provider has one.</summary>
    public Uri? Endpoint => Route.Endpoint;

    /// <summary>Parses and resolves a spec.</summary>
    /// <param name="text">The spec.</param>
    /// <param name="environment">Reads environment variables (base-URL overrides); the process environment by default.</param>
    /// <param name="overrides">Per-model provider choices from the configuration.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="MisalignmentEvalException">The spec does not resolve.</exception>
    public static ModelSpec Parse(string text, Func<string, string?>? environment = null, IReadOnlyDictionary<string, string>? overrides = null) =>
        new(ModelResolution.Resolve(text, overrides, environment));
}
