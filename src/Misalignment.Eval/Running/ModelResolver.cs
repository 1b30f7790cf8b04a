using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>
/// Turns model specs (<c>provider:model</c>, e.g. <c>openai:gpt-4.1</c>) into <see cref="IChatClient"/>s: each
/// provider prefix is registered with a factory that receives the whole spec. The CLI registers its providers
/// here; embedding code registers its own (<c>resolver.Add("my-agent", _ =&gt; myClient)</c>).
/// </summary>
public sealed class ModelResolver
{
    private readonly Dictionary<string, (Func<string, IChatClient> Factory, bool Simulated)> _providers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<string, IChatModel>> _agents = new(StringComparer.Ordinal);
    private Func<string, string?>? _route;

    /// <summary>
    /// The <see cref="ChatClientMetadata.ProviderName"/> of a simulated client (an offline demo agent): a run whose
    /// every model is simulated, by registration or by this metadata, is marked simulated in every report.
    /// </summary>
    public const string SimulatedProvider = "misalignment-eval-simulated";

    /// <summary>
    /// Whether a spec's provider has a batch API its client can send through (a batcher among its HTTP handlers): with
    /// <see cref="ExecutionSpec.Batch"/> such a model is batched. The CLI sets it for the providers it has a batch
    /// protocol for; none by default.
    /// </summary>
    internal Func<string, bool> HasBatchApi { get; set; } = static _ => false;

    /// <summary>The registered provider prefixes, in order.</summary>
    public IReadOnlyList<string> Providers => [.. _providers.Keys.Concat(_agents.Keys).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Registers a provider (or replaces the factory of one already registered).</summary>
    /// <param name="provider">The prefix before the first ':' of a spec.</param>
    /// <param name="factory">Creates the client of a spec (it receives the whole spec string).</param>
    /// <param name="simulated">Whether the provider's models are simulated (offline demo agents): reports say so.</param>
    /// <returns>This resolver.</returns>
    public ModelResolver Add(string provider, Func<string, IChatClient> factory, bool simulated = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(factory);
        if (provider.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A provider prefix has no ':' ('{provider}').", nameof(provider));
        }

        _providers[provider] = (factory, simulated);
        _agents.Remove(provider);
        return this;
    }

    /// <summary>
    /// Registers a provider of whole agents: <see cref="IChatModel"/>s that take the scenario's prompt and answer it their
    /// own way (their own prompt, tools, guardrails). The run calls them as they are: no rate limits are put around them.
    /// </summary>
    /// <param name="provider">The prefix before the first ':' of a spec (or the whole spec, e.g. <c>ops-agent</c>).</param>
    /// <param name="factory">Creates the agent of a spec.</param>
    /// <returns>This resolver.</returns>
    [Experimental(Experimental.Agents)]
    public ModelResolver AddAgent(string provider, Func<string, IChatModel> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(factory);
        _agents[provider] = factory;
        _providers.Remove(provider);
        return this;
    }

    /// <summary>The agent of a spec whose provider was registered with <see cref="AddAgent"/>, or <see langword="null"/>.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The agent, or <see langword="null"/> when the provider gives chat clients.</returns>
    public IChatModel? CreateAgent(string spec) => _agents.TryGetValue(ProviderOf(spec), out var factory) ? factory(spec) : null;

    /// <summary>The prefix of a spec (the text before the first ':'; a spec without one is its own prefix, e.g. <c>my-agent</c>).</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="MisalignmentEvalException">The spec is empty.</exception>
    public static string PrefixOf(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new MisalignmentEvalException("A model spec is empty; write provider:model, e.g. openai:gpt-4.1.");
        }

        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? spec[..colon] : spec;
    }

    /// <summary>The model part of a spec: after the last '#' when there is one (<c>openai-compatible:URL#model</c>), else after the first ':'.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The model id.</returns>
    public static string ModelOf(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int hash = spec.LastIndexOf('#');
        return hash >= 0 ? spec[(hash + 1)..] : spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>
    /// Routes specs whose prefix is no registered provider (bare names as the reference implementation writes them,
    /// e.g. <c>gpt-4.1</c> or <c>deepseek-ai/DeepSeek-R1</c>) to a provider; the provider's factory gets the spec as written.
    /// </summary>
    /// <param name="route">Returns the provider of a name, or <see langword="null"/> when it knows none.</param>
    /// <returns>This resolver.</returns>
    public ModelResolver Route(Func<string, string?> route)
    {
        ArgumentNullException.ThrowIfNull(route);
        _route = route;
        return this;
    }

    /// <summary>The provider a spec goes to: its registered prefix, else the route's answer, else the prefix.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The provider.</returns>
    public string ProviderOf(string spec)
    {
        string prefix = PrefixOf(spec);
        return Contains(prefix) ? prefix : _route?.Invoke(spec) ?? prefix;
    }

    /// <summary>Whether a provider is registered.</summary>
    /// <param name="provider">The prefix.</param>
    /// <returns>Whether it is.</returns>
    public bool Contains(string provider) => _providers.ContainsKey(provider) || _agents.ContainsKey(provider);

    /// <summary>Whether a spec's provider is simulated.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>Whether its models are offline demo agents.</returns>
    public bool IsSimulated(string spec) => _providers.TryGetValue(ProviderOf(spec), out var entry) && entry.Simulated;

    /// <summary>Creates the client of a spec.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The client.</returns>
    /// <exception cref="MisalignmentEvalException">The provider is not registered (the message lists those that are), or its factory refused the spec.</exception>
    public IChatClient Create(string spec)
    {
        string provider = ProviderOf(spec);
        if (_providers.TryGetValue(provider, out var entry))
        {
            return entry.Factory(spec);
        }

        string known = _providers.Count == 0 ? "none registered" : string.Join(", ", Providers);
        throw new MisalignmentEvalException(spec.Contains(':', StringComparison.Ordinal)
            ? $"Model spec '{SecretScrubber.RedactUrls(spec)}': unknown provider '{provider}'; known providers: {known}."
            : $"Model spec '{SecretScrubber.RedactUrls(spec)}' has no provider prefix and is no model name this resolver can route; write provider:model (known providers: {known}).");
    }
}
