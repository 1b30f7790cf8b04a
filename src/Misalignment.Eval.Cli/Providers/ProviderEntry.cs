using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>One provider: what the library knows of it (prefix, key variable, base URL) and how to build its client.</summary>
/// <param name="Info">The provider's prefix, key variable and endpoints.</param>
/// <param name="Create">Builds the client for one model spec.</param>
internal sealed record ProviderEntry(ProviderInfo Info, Func<ProviderRequest, IChatClient> Create)
{
    /// <summary>The provider's batch API for one model spec (<c>--batch</c>), or <see langword="null"/> when it has none.</summary>
    public Func<ProviderRequest, Running.IBatchProtocol>? Batch { get; init; }
}

/// <summary>What a provider's factory is given.</summary>
/// <param name="Spec">The resolved spec.</param>
/// <param name="Key">The value of the provider's key variable, if set.</param>
/// <param name="AttemptTimeout">How long one attempt may take (the SDK's own timeout is set a little longer; the runner's applies).</param>
/// <param name="Environment">Reads environment variables.</param>
/// <param name="Catalog">The scenarios (for the demo agents).</param>
internal sealed record ProviderRequest(ModelSpec Spec, string? Key, TimeSpan AttemptTimeout, Func<string, string?> Environment, Scenarios.ScenarioCatalog? Catalog)
{
    /// <summary>
    /// HTTP handlers the provider's client sends through, outermost first (the adaptive rate limiter, the batcher);
    /// fresh instances for this one client. A provider that does not speak HTTP through an SDK ignores them.
    /// </summary>
    public IReadOnlyList<DelegatingHandler> Handlers { get; init; } = [];

    /// <summary>Whether a provider with a prompt cache to mark (the Claude ones) puts a breakpoint on the prefix a condition's samples share.</summary>
    public bool PromptCache { get; init; }

    /// <summary>The SDK's own timeout: a little longer than the runner's, so that the runner's fires first.</summary>
    public TimeSpan SdkTimeout => AttemptTimeout + TimeSpan.FromSeconds(5);

    /// <summary>The value of an environment variable, or an error naming it.</summary>
    public string Required(string variable, string what) =>
        Environment(variable) is { Length: > 0 } value ? value : throw new MisalignmentEvalException($"Model '{Spec.Raw}' needs {what} in the environment variable {variable}.");

    /// <summary>
    /// An <see cref="HttpClient"/> that sends through <see cref="Handlers"/> and then the network, with no timeout of
    /// its own (the SDK's and the runner's apply); <see langword="null"/> when there are no handlers.
    /// </summary>
    public HttpClient? HttpClientThroughHandlers()
    {
        if (Handlers.Count == 0)
        {
            return null;
        }

        HttpMessageHandler next = new SocketsHttpHandler();
        for (int i = Handlers.Count - 1; i >= 0; i--)
        {
            Handlers[i].InnerHandler = next;
            next = Handlers[i];
        }

        return new HttpClient(next) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }
}
