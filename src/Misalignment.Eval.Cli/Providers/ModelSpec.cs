namespace Misalignment.Eval.Cli.Providers;

/// <summary>A model spec from the command line or a config file: <c>provider:model</c>, or <c>openai-compatible:URL#MODEL</c>.</summary>
/// <param name="Raw">The spec as written (the name results are recorded under).</param>
/// <param name="Provider">The provider.</param>
/// <param name="Model">The provider's model id.</param>
/// <param name="Endpoint">The base URL, for <c>openai-compatible</c>.</param>
internal sealed record ModelSpec(string Raw, string Provider, string Model, Uri? Endpoint)
{
    public static readonly string[] Providers = ["openai", "anthropic", "ollama", "openai-compatible", "demo"];

    /// <summary>Whether this is one of the offline demo agents.</summary>
    public bool IsDemo => Provider == "demo";

    public static ModelSpec Parse(string text)
    {
        string spec = (text ?? string.Empty).Trim();

        // Messages show the spec with any user and password of a URL masked: the spec may come from a shared config.
        string shown = SecretScrubber.RedactCredentials(spec);
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new MisalignmentEvalException($"Model spec '{shown}' has no provider; write provider:model, e.g. openai:gpt-4.1 or openai-compatible:http://127.0.0.1:8000/v1#my-model (providers: {string.Join(", ", Providers)}).");
        }

        string provider = spec[..colon].ToLowerInvariant();
        string rest = spec[(colon + 1)..];
        switch (provider)
        {
            case "openai" or "anthropic" or "ollama":
                return rest.Length > 0 ? new ModelSpec(spec, provider, rest, null) : throw new MisalignmentEvalException($"Model spec '{shown}' names no model after '{provider}:'.");
            case "demo":
                return rest is "benign" or "harmful" or "calibrated"
                    ? new ModelSpec(spec, provider, rest, null)
                    : throw new MisalignmentEvalException($"Model spec '{shown}': the demo agents are demo:benign, demo:harmful and demo:calibrated.");
            case "openai-compatible":
                int hash = rest.LastIndexOf('#');
                if (hash <= 0 || hash == rest.Length - 1)
                {
                    throw new MisalignmentEvalException($"Model spec '{shown}' must be openai-compatible:URL#MODEL, e.g. openai-compatible:http://127.0.0.1:8000/v1#my-model.");
                }

                if (!Uri.TryCreate(rest[..hash], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new MisalignmentEvalException($"Model spec '{shown}': the part before '#' is not an http(s) URL.");
                }

                // The spec names results, folders and log lines: a credential in it would be written everywhere.
                return uri.UserInfo.Length > 0 || uri.Query.Length > 0
                    ? throw new MisalignmentEvalException("Model spec for an openai-compatible server must not carry credentials or a query string in its URL; put the key in OPENAI_API_KEY.")
                    : new ModelSpec(spec, provider, rest[(hash + 1)..], uri);
            default:
                throw new MisalignmentEvalException($"Model spec '{shown}': unknown provider '{provider}'; known providers: {string.Join(", ", Providers)}.");
        }
    }
}
