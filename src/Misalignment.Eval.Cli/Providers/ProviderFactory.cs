using System.ClientModel.Primitives;
using System.ClientModel;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Scenarios;
using OpenAI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>Turns a model spec into the provider's official <see cref="IChatClient"/>, with the SDK's own retries off (the runner retries).</summary>
internal static class ProviderFactory
{
    public const string OpenAiKey = "OPENAI_API_KEY";

    public const string AnthropicKey = "ANTHROPIC_API_KEY";

    public const string AnthropicBaseUrl = "ANTHROPIC_BASE_URL";

    public const string OllamaHost = "OLLAMA_HOST";

    /// <summary>The output budget the Anthropic API requires on every request when the caller sets none.</summary>
    public const int AnthropicDefaultMaxTokens = 4000;

    public static IChatClient Create(ModelSpec spec, TimeSpan attemptTimeout, Func<string, string?> environment)
    {
        switch (spec.Provider)
        {
            case "openai":
                string key = Key(environment, OpenAiKey)
                    ?? throw new MisalignmentEvalException($"Model '{spec.Raw}' needs an API key in the environment variable {OpenAiKey}.");
                return OpenAi(spec, key, null, attemptTimeout);
            case "anthropic":
                string anthropicKey = Key(environment, AnthropicKey)
                    ?? throw new MisalignmentEvalException($"Model '{spec.Raw}' needs an API key in the environment variable {AnthropicKey}.");
                var anthropic = new Anthropic.AnthropicClient { ApiKey = anthropicKey, MaxRetries = 0, Timeout = attemptTimeout + TimeSpan.FromSeconds(5) };
                if (environment(AnthropicBaseUrl) is { Length: > 0 } baseUrl)
                {
                    anthropic = new Anthropic.AnthropicClient { ApiKey = anthropicKey, MaxRetries = 0, Timeout = attemptTimeout + TimeSpan.FromSeconds(5), BaseUrl = baseUrl };
                }

                return anthropic.AsIChatClient(spec.Model, AnthropicDefaultMaxTokens);
            case "ollama":
                string host = environment(OllamaHost) is { Length: > 0 } h ? h : "http://localhost:11434";
                if (!host.Contains("://", StringComparison.Ordinal))
                {
                    host = "http://" + host;
                }

                return Uri.TryCreate(host, UriKind.Absolute, out var ollama)
                    ? new OllamaSharp.OllamaApiClient(ollama, spec.Model)
                    : throw new MisalignmentEvalException($"{OllamaHost} is '{SecretScrubber.RedactCredentials(host)}', which is not a URL (e.g. http://localhost:11434).");
            case "openai-compatible":
                // Local servers (vLLM, LM Studio) accept any key; hosted ones (OpenRouter, Together) read OPENAI_API_KEY.
                return OpenAi(spec, Key(environment, OpenAiKey) ?? "not-needed", spec.Endpoint, attemptTimeout);
            default:
                throw new MisalignmentEvalException($"Model spec '{spec.Raw}': unknown provider '{spec.Provider}'.");
        }
    }

    /// <summary>
    /// The key in an environment variable, trimmed (a key read from a file or a CI secret often ends in a new line), and
    /// made known to the scrubber so that no echo of it reaches a store, a log line or a message.
    /// </summary>
    private static string? Key(Func<string, string?> environment, string variable)
    {
        string? key = environment(variable)?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        SecretScrubber.Register(key);
        return key;
    }

    private static IChatClient OpenAi(ModelSpec spec, string key, Uri? endpoint, TimeSpan attemptTimeout)
    {
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = attemptTimeout + TimeSpan.FromSeconds(5),
        };
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
        }

        return new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(spec.Model).AsIChatClient();
    }
}
