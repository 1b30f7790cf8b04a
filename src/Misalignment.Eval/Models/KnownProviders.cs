namespace Misalignment.Eval;

/// <summary>
/// The providers a model spec can name, one entry each: the developers of the published study (OpenAI, Anthropic,
/// Google, xAI, DeepSeek, Meta and Qwen through OpenRouter or Together) plus local servers and the offline demo agents.
/// </summary>
internal static class KnownProviders
{
    /// <summary>OpenAI, through the OpenAI SDK.</summary>
    public static readonly ProviderInfo OpenAi = new("openai", "OPENAI_API_KEY", new Uri("https://api.openai.com/v1"), "OPENAI_BASE_URL", "OpenAI (OpenAI SDK); MODEL is an OpenAI model id") { IsOpenAiProtocol = true };

    /// <summary>Anthropic, through the Anthropic SDK.</summary>
    public static readonly ProviderInfo Anthropic = new("anthropic", "ANTHROPIC_API_KEY", new Uri("https://api.anthropic.com"), "ANTHROPIC_BASE_URL", "Anthropic (Anthropic SDK); MODEL is a Claude model id") { IsAnthropicApi = true };

    /// <summary>Claude on Amazon Bedrock, through Anthropic.Bedrock (an API key, or access keys with <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>; region from <c>AWS_REGION</c>).</summary>
    public static readonly ProviderInfo Bedrock = new("bedrock", "AWS_BEARER_TOKEN_BEDROCK", null, "ANTHROPIC_BEDROCK_BASE_URL", "Claude on Amazon Bedrock (Anthropic.Bedrock); MODEL is a Bedrock model id, e.g. us.anthropic.claude-opus-4-20250514-v1:0") { IsAnthropicApi = true, RequiresKey = false };

    /// <summary>Claude on Google Vertex AI, through Anthropic.Vertex (project from <c>ANTHROPIC_VERTEX_PROJECT_ID</c>, region from <c>CLOUD_ML_REGION</c>).</summary>
    public static readonly ProviderInfo Vertex = new("vertex", "GOOGLE_APPLICATION_CREDENTIALS", null, "ANTHROPIC_VERTEX_BASE_URL", "Claude on Google Vertex AI (Anthropic.Vertex); MODEL is a Vertex model id, e.g. claude-opus-4@20250514") { IsAnthropicApi = true, RequiresKey = false };

    /// <summary>Google Gemini, through Google's OpenAI-compatible endpoint.</summary>
    public static readonly ProviderInfo Gemini = new("gemini", "GEMINI_API_KEY", new Uri("https://generativelanguage.googleapis.com/v1beta/openai"), "GEMINI_BASE_URL", "Google Gemini (OpenAI SDK, Google's OpenAI-compatible endpoint); MODEL is a Gemini model id") { IsOpenAiProtocol = true };

    /// <summary>OpenRouter, through the OpenAI SDK.</summary>
    public static readonly ProviderInfo OpenRouter = new("openrouter", "OPENROUTER_API_KEY", new Uri("https://openrouter.ai/api/v1"), "OPENROUTER_BASE_URL", "OpenRouter (OpenAI SDK); MODEL is an OpenRouter id, e.g. x-ai/grok-3-beta") { IsOpenAiProtocol = true };

    /// <summary>Together AI, through the OpenAI SDK.</summary>
    public static readonly ProviderInfo Together = new("together", "TOGETHER_API_KEY", new Uri("https://api.together.xyz/v1"), "TOGETHER_BASE_URL", "Together AI (OpenAI SDK); MODEL is a Together id, e.g. deepseek-ai/DeepSeek-R1") { IsOpenAiProtocol = true };

    /// <summary>DeepSeek's own API, through the OpenAI SDK.</summary>
    public static readonly ProviderInfo DeepSeek = new("deepseek", "DEEPSEEK_API_KEY", new Uri("https://api.deepseek.com/v1"), "DEEPSEEK_BASE_URL", "DeepSeek (OpenAI SDK); MODEL is deepseek-chat or deepseek-reasoner") { IsOpenAiProtocol = true };

    /// <summary>xAI, through the OpenAI SDK.</summary>
    public static readonly ProviderInfo XAi = new("xai", "XAI_API_KEY", new Uri("https://api.x.ai/v1"), "XAI_BASE_URL", "xAI Grok (OpenAI SDK); MODEL is an xAI model id, e.g. grok-3-beta") { IsOpenAiProtocol = true };

    /// <summary>Azure OpenAI, through Azure.AI.OpenAI (endpoint from <c>AZURE_OPENAI_ENDPOINT</c>).</summary>
    public static readonly ProviderInfo AzureOpenAi = new("azure-openai", "AZURE_OPENAI_API_KEY", null, "AZURE_OPENAI_ENDPOINT", "Azure OpenAI (Azure.AI.OpenAI); MODEL is the deployment name") { IsOpenAiProtocol = true };

    /// <summary>A local Ollama server, through OllamaSharp.</summary>
    public static readonly ProviderInfo Ollama = new("ollama", null, new Uri("http://localhost:11434"), "OLLAMA_HOST", "a local Ollama server (OllamaSharp); MODEL is an Ollama model tag") { RequiresKey = false };

    /// <summary>Any OpenAI-compatible server, spec <c>openai-compatible:URL#MODEL</c>; <c>OPENAI_API_KEY</c> is sent if set.</summary>
    public static readonly ProviderInfo OpenAiCompatible = new("openai-compatible", "OPENAI_API_KEY", null, null, "any OpenAI-compatible server (OpenAI SDK); spec openai-compatible:URL#MODEL, e.g. vLLM or LM Studio") { IsOpenAiProtocol = true, RequiresKey = false };

    /// <summary>The offline demo agents: <c>demo:benign</c>, <c>demo:harmful</c>, <c>demo:calibrated</c>.</summary>
    public static readonly ProviderInfo Demo = new("demo", null, null, null, "the offline demo agents: demo:benign, demo:harmful, demo:calibrated") { RequiresKey = false };

    /// <summary>Every known provider, in the order help texts list them.</summary>
    public static IReadOnlyList<ProviderInfo> All { get; } = [OpenAi, Anthropic, Gemini, OpenRouter, Together, DeepSeek, XAi, AzureOpenAi, Bedrock, Vertex, Ollama, OpenAiCompatible, Demo];

    /// <summary>The provider with this spec prefix.</summary>
    /// <param name="id">The prefix (case-insensitive).</param>
    /// <returns>The provider, or <see langword="null"/>.</returns>
    public static ProviderInfo? Find(string? id) => All.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));
}
