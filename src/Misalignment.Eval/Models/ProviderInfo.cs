namespace Misalignment.Eval;

/// <summary>
/// What the library knows about a model provider without talking to it: the spec prefix, where its key is read
/// from, and where it is reached. A host (the CLI, a test project) pairs each entry with a factory for its client.
/// </summary>
/// <param name="Id">The spec prefix, e.g. <c>openrouter</c> in <c>openrouter:x-ai/grok-3-beta</c>.</param>
/// <param name="KeyVariable">The environment variable holding the API key or credential, or <see langword="null"/> when none is needed.</param>
/// <param name="DefaultEndpoint">The base URL used when <paramref name="EndpointVariable"/> is unset, or <see langword="null"/> when the endpoint comes from the spec or the account.</param>
/// <param name="EndpointVariable">The environment variable that overrides the base URL (for proxies and loopback tests), or <see langword="null"/>.</param>
/// <param name="Description">One line for help texts: the client and what the model part of the spec means.</param>
internal sealed record ProviderInfo(string Id, string? KeyVariable, Uri? DefaultEndpoint, string? EndpointVariable, string Description)
{
    /// <summary>Whether the key is required (a missing one is an error before any call).</summary>
    public bool RequiresKey { get; init; } = true;

    /// <summary>Whether the provider serves Claude through Anthropic's Messages API (extended thinking, <c>thinking=N</c>).</summary>
    public bool IsAnthropicApi { get; init; }

    /// <summary>Whether the provider speaks OpenAI's chat-completions protocol (<c>effort=</c>, <c>reasoning_content</c>).</summary>
    public bool IsOpenAiProtocol { get; init; }

    /// <summary>The base URL for this provider: the override in the environment if set, else <see cref="DefaultEndpoint"/>.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The base URL, or <see langword="null"/> when the provider has none.</returns>
    /// <exception cref="MisalignmentEvalException">The override is not an http(s) URL, or carries credentials or a query string.</exception>
    public Uri? EndpointFrom(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (EndpointVariable is null || environment(EndpointVariable) is not { Length: > 0 } text)
        {
            return DefaultEndpoint;
        }

        return ProviderEndpoints.Check(text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text, EndpointVariable);
    }
}
