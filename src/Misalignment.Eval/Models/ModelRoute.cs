using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>Where a model name or spec goes: the provider, the provider's model id, the base URL and the key variable.</summary>
internal sealed record ModelRoute
{
    /// <summary>The name or spec as written (results are recorded under it).</summary>
    public required string Name { get; init; }

    /// <summary>The provider.</summary>
    public required ProviderInfo Provider { get; init; }

    /// <summary>The provider's model id (for Azure OpenAI, the deployment).</summary>
    public required string Model { get; init; }

    /// <summary>The base URL the client will call, or <see langword="null"/> where the SDK derives it (Bedrock and Vertex regions, the demo agents).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The environment variable the key is read from, or <see langword="null"/> when none is needed.</summary>
    public string? KeyVariable => Provider.KeyVariable;

    /// <summary>How the route was found: <c>spec</c> (an explicit prefix), <c>override</c> (the configuration's choice) or <c>reference</c> (the reference's rules for bare names).</summary>
    public required string ResolvedBy { get; init; }

    /// <summary>The extended-thinking budget in tokens (<c>+thinking=N</c>; Anthropic API providers only).</summary>
    public int? ThinkingBudget { get; init; }

    /// <summary>The reasoning effort (<c>+effort=low|medium|high</c>; OpenAI-protocol and Anthropic API providers).</summary>
    public ReasoningEffort? Effort { get; init; }

    /// <summary>The canonical spec, <c>provider:model</c> (for <c>openai-compatible</c>, <c>openai-compatible:URL#MODEL</c>), without options.</summary>
    public string Spec => Provider == KnownProviders.OpenAiCompatible ? $"{Provider.Id}:{Endpoint}#{Model}" : $"{Provider.Id}:{Model}";
}
