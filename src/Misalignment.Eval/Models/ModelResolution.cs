using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// Resolves a model spec (<c>provider:model</c>) or a bare model name as the reference implementation's configs write
/// them (<c>gpt-4.1</c>, <c>claude-opus-4-20250514</c>, <c>deepseek-ai/DeepSeek-R1</c>) to a <see cref="ModelRoute"/>.
/// Options follow the model after <c>+</c>: <c>+thinking=N</c> (extended-thinking budget) and <c>+effort=low|medium|high</c>.
/// </summary>
/// <remarks>
/// Bare names follow the reference's rules, in its order: <c>deepseek-ai/DeepSeek-R1</c> to Together; any other
/// <c>org/model</c> to OpenRouter; names containing <c>claude</c> to Anthropic, <c>gpt</c> (and <c>o1</c>, <c>o3</c>,
/// <c>o4-*</c>) to OpenAI, <c>gemini</c> to Google; <c>grok</c>, <c>x-ai</c>, <c>mistral</c>, <c>llama</c>, <c>meta-</c>,
/// <c>qwen</c>, <c>deepseek</c> to OpenRouter. An override maps a name to a provider id or to a whole spec.
/// </remarks>
internal static partial class ModelResolution
{
    /// <summary>Resolves a spec or a bare model name.</summary>
    /// <param name="name">The spec or name, as written on the command line or in a config.</param>
    /// <param name="overrides">Per-model choices from the configuration: name (without options) to a provider id (<c>openrouter</c>) or a spec (<c>openrouter:deepseek/deepseek-r1</c>).</param>
    /// <param name="environment">Reads environment variables for base-URL overrides; the process environment by default.</param>
    /// <returns>The route.</returns>
    /// <exception cref="MisalignmentEvalException">The name cannot be resolved; the message says why and never repeats a URL's credentials.</exception>
    public static ModelRoute Resolve(string name, IReadOnlyDictionary<string, string>? overrides = null, Func<string, string?>? environment = null) =>
        TryResolve(name, overrides, environment, out var route, out string? problem) ? route : throw new MisalignmentEvalException(problem);

    /// <summary>Resolves a spec or a bare model name without throwing.</summary>
    /// <param name="name">The spec or name.</param>
    /// <param name="overrides">Per-model choices from the configuration (see <see cref="Resolve"/>).</param>
    /// <param name="environment">Reads environment variables; the process environment by default.</param>
    /// <param name="route">The route, when resolved.</param>
    /// <param name="problem">Why not, otherwise.</param>
    /// <returns>Whether the name resolved.</returns>
    public static bool TryResolve(string? name, IReadOnlyDictionary<string, string>? overrides, Func<string, string?>? environment, [NotNullWhen(true)] out ModelRoute? route, [NotNullWhen(false)] out string? problem)
    {
        // A spec is the name results are recorded under: one with a URL's user or password in it (wherever the URL
        // sits, even where the reference's rules would take the whole text for a model name) is never accepted.
        if (name is not null && SecretScrubber.RedactUrls(name) is var shown && shown != name)
        {
            route = null;
            problem = $"Model spec '{shown.Trim()}' must not carry credentials in a URL (a spec is recorded and printed); put the key in the provider's key variable.";
            return false;
        }

        if (TryResolveSpec(name, overrides, environment, out route, out problem))
        {
            return true;
        }

        // Every message about a spec shows a URL's user and password as ***, whatever is wrong with the spec.
        problem = SecretScrubber.RedactUrls(problem);
        return false;
    }

    private static bool TryResolveSpec(string? name, IReadOnlyDictionary<string, string>? overrides, Func<string, string?>? environment, [NotNullWhen(true)] out ModelRoute? route, [NotNullWhen(false)] out string? problem)
    {
        route = null;
        environment ??= Environment.GetEnvironmentVariable;
        string text = (name ?? string.Empty).Trim();
        try
        {
            int plus = text.IndexOf('+', StringComparison.Ordinal);
            string bare = plus < 0 ? text : text[..plus];
            if (bare.Length == 0)
            {
                problem = "A model spec is empty; write provider:model, e.g. openai:gpt-4.1.";
                return false;
            }

            ModelRoute? found;
            if (overrides?.GetValueOrDefault(bare) is { Length: > 0 } chosen)
            {
                found = chosen.Contains(':', StringComparison.Ordinal) ? FromSpec(chosen, environment) : KnownProviders.Find(chosen) is { } provider ? Route(provider, bare, environment) : null;
                problem = found is null ? $"The configuration routes model '{bare}' to '{chosen}', which is neither a provider ({Ids}) nor a provider:model spec." : null;
                found = found is null ? null : found with { ResolvedBy = "override" };
            }
            else
            {
                found = FromSpec(bare, environment);
                if (found is null && ReferenceProvider(bare) is { } provider)
                {
                    found = Route(provider, bare, environment) with { ResolvedBy = "reference" };
                }

                int colon = bare.IndexOf(':', StringComparison.Ordinal);
                problem = found is not null ? null : colon > 0
                    ? $"Model spec '{bare}': '{bare[..colon]}' is not a provider ({Ids}), and the reference's rules place no such model name."
                    : $"Model '{bare}' has no provider prefix and the reference's rules place no such name; write provider:model, e.g. openai:gpt-4.1 (providers: {Ids}).";
            }

            if (found is null)
            {
                problem ??= $"Model '{bare}' cannot be resolved.";
                return false;
            }

            found = found with { Name = text };
            if (plus >= 0 && !WithOptions(ref found, text[(plus + 1)..], out problem))
            {
                return false;
            }

            route = found;
            return true;
        }
        catch (MisalignmentEvalException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    private static string Ids => string.Join(", ", KnownProviders.All.Select(p => p.Id));

    /// <summary>The route of an explicit <c>provider:model</c> spec, or <see langword="null"/> when the prefix is no provider.</summary>
    private static ModelRoute? FromSpec(string spec, Func<string, string?> environment)
    {
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || KnownProviders.Find(spec[..colon]) is not { } provider)
        {
            return null;
        }

        string rest = spec[(colon + 1)..];
        if (provider == KnownProviders.OpenAiCompatible)
        {
            int hash = rest.LastIndexOf('#');
            if (hash <= 0 || hash == rest.Length - 1)
            {
                throw new MisalignmentEvalException("A model spec for an openai-compatible server must be openai-compatible:URL#MODEL, e.g. openai-compatible:http://127.0.0.1:8000/v1#my-model.");
            }

            var endpoint = ProviderEndpoints.Check(rest[..hash], "The part before '#' of an openai-compatible model spec");
            return new ModelRoute { Name = spec, Provider = provider, Model = rest[(hash + 1)..], Endpoint = endpoint, ResolvedBy = "spec" };
        }

        if (rest.Length == 0)
        {
            throw new MisalignmentEvalException($"Model spec '{spec}' names no model after '{provider.Id}:'.");
        }

        if (provider == KnownProviders.Demo && rest is not ("benign" or "harmful" or "calibrated"))
        {
            throw new MisalignmentEvalException($"Model spec '{spec}': the demo agents are demo:benign, demo:harmful and demo:calibrated.");
        }

        return Route(provider, rest, environment);
    }

    private static ModelRoute Route(ProviderInfo provider, string model, Func<string, string?> environment) =>
        new() { Name = model, Provider = provider, Model = model, Endpoint = provider.EndpointFrom(environment), ResolvedBy = "spec" };

    /// <summary>The provider the reference implementation picks for a bare model name, or <see langword="null"/>.</summary>
    private static ProviderInfo? ReferenceProvider(string name)
    {
        string lower = name.ToLowerInvariant();
        return name switch
        {
            // The reference's explicit lists come first: DeepSeek-R1 is its one Together model.
            "deepseek-ai/DeepSeek-R1" => KnownProviders.Together,
            _ when name.Contains('/', StringComparison.Ordinal) => KnownProviders.OpenRouter,
            _ when lower.Contains("claude", StringComparison.Ordinal) => KnownProviders.Anthropic,
            _ when lower.Contains("gpt", StringComparison.Ordinal) || OpenAiReasoningName().IsMatch(lower) => KnownProviders.OpenAi,
            _ when lower.Contains("gemini", StringComparison.Ordinal) => KnownProviders.Gemini,
            _ when OpenRouterFamily().IsMatch(lower) => KnownProviders.OpenRouter,
            _ => null,
        };
    }

    private static bool WithOptions(ref ModelRoute route, string options, [NotNullWhen(false)] out string? problem)
    {
        foreach (string option in options.Split('+'))
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? option : option[..equals];
            string value = equals < 0 ? string.Empty : option[(equals + 1)..];
            switch (key)
            {
                case "thinking" when !route.Provider.IsAnthropicApi:
                    problem = $"Model '{route.Name}': +thinking=N is Anthropic's extended thinking and applies to the anthropic, bedrock and vertex providers; use +effort= for {route.Provider.Id}.";
                    return false;
                case "thinking" when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int budget) || budget < 1024:
                    problem = $"Model '{route.Name}': +thinking= needs a budget of at least 1024 tokens, e.g. +thinking=8000.";
                    return false;
                case "thinking":
                    route = route with { ThinkingBudget = int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "effort" when !route.Provider.IsOpenAiProtocol && !route.Provider.IsAnthropicApi:
                    problem = $"Model '{route.Name}': +effort= applies to OpenAI-protocol and Anthropic providers, not {route.Provider.Id}.";
                    return false;
                case "effort" when EffortOf(value) is not { } effort:
                    problem = $"Model '{route.Name}': +effort= is none, low, medium, high or xhigh, not '{value}'.";
                    return false;
                case "effort":
                    route = route with { Effort = EffortOf(value) };
                    break;
                default:
                    problem = $"Model '{route.Name}': unknown option '+{key}'; the options are +thinking=N and +effort=low|medium|high.";
                    return false;
            }
        }

        problem = route.ThinkingBudget is not null && route.Effort is not null ? $"Model '{route.Name}': give +thinking=N or +effort=, not both." : null;
        return problem is null;
    }

    private static ReasoningEffort? EffortOf(string value) => value.ToLowerInvariant() switch
    {
        "none" => ReasoningEffort.None,
        "low" or "minimal" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        "xhigh" or "extra-high" => ReasoningEffort.ExtraHigh,
        _ => null,
    };

    [GeneratedRegex(@"^o\d+(-|$)", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiReasoningName();

    [GeneratedRegex("grok|x-ai|mistral|llama|meta-|qwen|deepseek", RegexOptions.CultureInvariant)]
    private static partial Regex OpenRouterFamily();
}
