using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>Turns a model spec into the provider's official <see cref="IChatClient"/>, with the SDK's own retries off (the runner retries).</summary>
internal static class ProviderFactory
{
    public const string OpenAiKey = "OPENAI_API_KEY";

    public static IChatClient Create(ModelSpec spec, TimeSpan attemptTimeout, Func<string, string?> environment, Scenarios.ScenarioCatalog? catalog = null)
    {
        switch (spec.Provider)
        {
            case "demo":
                return new Demo.DemoChatClient(
                    spec.Model switch { "benign" => Demo.DemoBehavior.Benign, "harmful" => Demo.DemoBehavior.Harmful, _ => Demo.DemoBehavior.Calibrated },
                    catalog);
            case "openai":
                string key = environment(OpenAiKey) is { Length: > 0 } k
                    ? k
                    : throw new MisalignmentEvalException($"Model '{spec.Raw}' needs an API key in the environment variable {OpenAiKey}.");
                return OpenAi(spec, key, null, attemptTimeout);
            case "openai-compatible":
                // Local servers (vLLM, LM Studio) accept any key; hosted ones (OpenRouter, Together) read OPENAI_API_KEY.
                return OpenAi(spec, environment(OpenAiKey) is { Length: > 0 } compatibleKey ? compatibleKey : "not-needed", spec.Endpoint, attemptTimeout);
            default:
                throw new MisalignmentEvalException($"Model spec '{spec.Raw}': unknown provider '{spec.Provider}'.");
        }
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
