using System.ClientModel.Primitives;
using System.ClientModel;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Scenarios;
using OpenAI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// Turns a model spec into the provider's official <see cref="IChatClient"/>, with the SDK's own retries off (the runner
/// retries). One <see cref="ProviderEntry"/> per provider: the OpenAI-protocol ones here, the Claude ones in
/// <see cref="AnthropicProviders"/>.
/// </summary>
internal static class ProviderFactory
{
    public const string OpenAiKey = "OPENAI_API_KEY";

    public const string AnthropicKey = "ANTHROPIC_API_KEY";

    public const string AnthropicBaseUrl = "ANTHROPIC_BASE_URL";

    public const string OllamaHost = "OLLAMA_HOST";

    /// <summary>The output budget the Anthropic API requires on every request when the caller sets none.</summary>
    public const int AnthropicDefaultMaxTokens = 4000;

    /// <summary>
    /// Every provider but the demo agents (registered by <c>AddDemoAgents</c>), in the order of <see cref="KnownProviders.All"/>.
    /// OpenAI's and Anthropic's own APIs have batch protocols here. Azure OpenAI's batches need a global-batch deployment
    /// and name their endpoint their own way, Bedrock's and Vertex's batch jobs read and write storage buckets, and the
    /// compatible servers have none of one kind: those run online.
    /// </summary>
    public static IReadOnlyList<ProviderEntry> Entries { get; } =
    [
        new(KnownProviders.OpenAi, r => OpenAiProtocol(r, r.Key!, r.Spec.Endpoint, sendMaxTokens: false, thinkTags: false)) { Batch = OpenAiBatchProtocol.Create },
        new(KnownProviders.Anthropic, AnthropicProviders.Anthropic) { Batch = AnthropicBatchProtocol.Create },
        new(KnownProviders.Gemini, r => OpenAiProtocol(r, r.Key!, r.Spec.Endpoint, sendMaxTokens: true, thinkTags: true)),
        new(KnownProviders.OpenRouter, r => OpenAiProtocol(r, r.Key!, r.Spec.Endpoint, sendMaxTokens: true, thinkTags: true)),
        new(KnownProviders.Together, r => OpenAiProtocol(r, r.Key!, r.Spec.Endpoint, sendMaxTokens: true, thinkTags: true)),
        new(KnownProviders.DeepSeek, r => OpenAiProtocol(r, r.Key!, r.Spec.Endpoint, sendMaxTokens: true, thinkTags: true)),
        new(KnownProviders.XAi, r => OpenAiProtocol(r, r.Key!, r.Spec.Endpoint, sendMaxTokens: true, thinkTags: false)),
        new(KnownProviders.AzureOpenAi, AzureOpenAi),
        new(KnownProviders.Bedrock, AnthropicProviders.Bedrock),
        new(KnownProviders.Vertex, AnthropicProviders.Vertex),
        new(KnownProviders.Ollama, Ollama),

        // Local servers (vLLM, LM Studio) accept any key; a hosted one reads OPENAI_API_KEY.
        new(KnownProviders.OpenAiCompatible, r => OpenAiProtocol(r, r.Key ?? "not-needed", r.Spec.Endpoint, sendMaxTokens: false, thinkTags: true)),
    ];

    /// <param name="promptCache">Whether the Claude clients mark the shared prefix for the provider's prompt cache.</param>
    public static IChatClient Create(ModelSpec spec, TimeSpan attemptTimeout, Func<string, string?> environment, Scenarios.ScenarioCatalog? catalog = null, ProviderHttp? http = null, bool promptCache = false)
    {
        var entry = Entries.FirstOrDefault(e => e.Info == spec.Route.Provider) ?? throw new MisalignmentEvalException($"Model spec '{spec.Raw}': provider '{spec.Provider}' has no client here.");
        string? key = entry.Info.KeyVariable is { } variable ? Key(environment, variable) : null;
        if (entry.Info.RequiresKey && key is null)
        {
            throw new MisalignmentEvalException($"Model '{spec.Raw}' needs an API key in the environment variable {entry.Info.KeyVariable}.");
        }

        var request = new ProviderRequest(spec, key, attemptTimeout, environment, catalog) { PromptCache = promptCache };
        var handlers = (http ?? ProviderHttp.None).HandlersFor(entry, request);
        if (handlers.OfType<Running.BatchingHandler>().FirstOrDefault() is { } batcher)
        {
            // A batched call waits for its batch: the SDK's own timeout is the batch's, not an online call's.
            request = request with { AttemptTimeout = batcher.Settings.AttemptTimeout };
        }

        var client = entry.Create(request with { Handlers = handlers });

        // The waits a handler causes count with the model's rate-limit waits in the progress display.
        return handlers.OfType<Running.IRateLimitWaitSource>().FirstOrDefault() is { } waits ? new Running.RateLimitWaitsChatClient(client, waits) : client;
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

    private static IChatClient OpenAiProtocol(ProviderRequest request, string key, Uri? endpoint, bool sendMaxTokens, bool thinkTags)
    {
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = request.SdkTimeout,
        };
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
        }

        if (request.HttpClientThroughHandlers() is { } http)
        {
            options.Transport = new HttpClientPipelineTransport(http);
        }

        IChatClient client = new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(request.Spec.Model).AsIChatClient();
        client = new OpenAiProtocolChatClient(client, sendMaxTokens);
        return thinkTags ? new ThinkTagReasoningChatClient(client) : client;
    }

    private static OpenAiProtocolChatClient AzureOpenAi(ProviderRequest request)
    {
        var endpoint = request.Spec.Endpoint ?? throw new MisalignmentEvalException($"Model '{request.Spec.Raw}' needs the Azure OpenAI resource's endpoint in the environment variable {KnownProviders.AzureOpenAi.EndpointVariable}, e.g. https://my-resource.openai.azure.com.");
        var options = new Azure.AI.OpenAI.AzureOpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = request.SdkTimeout,
        };
        if (request.HttpClientThroughHandlers() is { } http)
        {
            options.Transport = new HttpClientPipelineTransport(http);
        }

        var client = new Azure.AI.OpenAI.AzureOpenAIClient(endpoint, new ApiKeyCredential(request.Key!), options).GetChatClient(request.Spec.Model).AsIChatClient();
        return new OpenAiProtocolChatClient(client, sendMaxTokens: false);
    }

    private static ThinkTagReasoningChatClient Ollama(ProviderRequest request) =>
        new ThinkTagReasoningChatClient(new OllamaSharp.OllamaApiClient(request.Spec.Endpoint!, request.Spec.Model));
}
