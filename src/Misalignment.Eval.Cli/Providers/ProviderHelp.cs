namespace Misalignment.Eval.Cli.Providers;

/// <summary>The help text that lists every provider with the variable its key is read from.</summary>
internal static class ProviderHelp
{
    public static string ModelOptionDescription { get; } =
        "A model spec (repeatable): PROVIDER:MODEL, optionally followed by +thinking=N (Claude's extended-thinking budget) or +effort=low|medium|high (reasoning effort). "
        + "A bare name as the reference writes it (gpt-4.1, claude-opus-4-20250514, gemini-2.5-pro, deepseek-ai/DeepSeek-R1, x-ai/grok-3-beta) goes where the reference sends it. "
        + "Providers: " + string.Join(", ", KnownProviders.All.Select(Describe)) + ".";

    private static string Describe(ProviderInfo provider) => provider.Id switch
    {
        "openai-compatible" => "openai-compatible:URL#MODEL (OPENAI_API_KEY if set)",
        "demo" => "demo:benign|harmful|calibrated (offline)",
        "ollama" => "ollama (OLLAMA_HOST)",
        "bedrock" => $"bedrock ({provider.KeyVariable} or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION)",
        "vertex" => "vertex (Google credentials, ANTHROPIC_VERTEX_PROJECT_ID, CLOUD_ML_REGION)",
        "azure-openai" => $"azure-openai:DEPLOYMENT ({provider.KeyVariable}, {provider.EndpointVariable})",
        _ => $"{provider.Id} ({provider.KeyVariable})",
    };
}
