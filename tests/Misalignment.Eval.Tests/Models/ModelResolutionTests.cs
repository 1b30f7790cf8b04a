using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Tests.Models;

public class ModelResolutionTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("gpt-4.1", "openai", "gpt-4.1", "https://api.openai.com/v1", "OPENAI_API_KEY")]
    [InlineData("gpt-4.5-preview", "openai", "gpt-4.5-preview", "https://api.openai.com/v1", "OPENAI_API_KEY")]
    [InlineData("o3", "openai", "o3", "https://api.openai.com/v1", "OPENAI_API_KEY")]
    [InlineData("o4-mini-2025-04-16", "openai", "o4-mini-2025-04-16", "https://api.openai.com/v1", "OPENAI_API_KEY")]
    [InlineData("claude-opus-4-20250514", "anthropic", "claude-opus-4-20250514", "https://api.anthropic.com/", "ANTHROPIC_API_KEY")]
    [InlineData("claude-3-7-sonnet-latest", "anthropic", "claude-3-7-sonnet-latest", "https://api.anthropic.com/", "ANTHROPIC_API_KEY")]
    [InlineData("deepseek-ai/DeepSeek-R1", "together", "deepseek-ai/DeepSeek-R1", "https://api.together.xyz/v1", "TOGETHER_API_KEY")]
    [InlineData("x-ai/grok-3-beta", "openrouter", "x-ai/grok-3-beta", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")]
    [InlineData("meta-llama/llama-4-maverick", "openrouter", "meta-llama/llama-4-maverick", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")]
    [InlineData("google/gemini-2.5-flash-preview-05-20:thinking", "openrouter", "google/gemini-2.5-flash-preview-05-20:thinking", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")]
    [InlineData("qwen/qwen3-235b-a22b", "openrouter", "qwen/qwen3-235b-a22b", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")]
    [InlineData("gemini-2.5-pro-preview-05-06", "gemini", "gemini-2.5-pro-preview-05-06", "https://generativelanguage.googleapis.com/v1beta/openai", "GEMINI_API_KEY")]
    [InlineData("grok-3-beta", "openrouter", "grok-3-beta", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")]
    public void Resolve_BareReferenceName_GoesWhereTheReferenceSendsIt(string name, string provider, string model, string endpoint, string key)
    {
        var route = ModelResolution.Resolve(name, environment: NoEnvironment);

        (route.Provider.Id, route.Model, route.Endpoint?.ToString(), route.KeyVariable, route.ResolvedBy).Should().Be((provider, model, endpoint, key, "reference"));
        route.Name.Should().Be(name, "results are recorded under the name as the config wrote it");
    }

    [Theory]
    [InlineData("openrouter:deepseek/deepseek-r1", "openrouter", "deepseek/deepseek-r1")]
    [InlineData("together:Qwen/Qwen3-235B-A22B", "together", "Qwen/Qwen3-235B-A22B")]
    [InlineData("gemini:gemini-2.5-flash", "gemini", "gemini-2.5-flash")]
    [InlineData("deepseek:deepseek-reasoner", "deepseek", "deepseek-reasoner")]
    [InlineData("xai:grok-3-beta", "xai", "grok-3-beta")]
    [InlineData("azure-openai:my-gpt41", "azure-openai", "my-gpt41")]
    [InlineData("bedrock:us.anthropic.claude-opus-4-20250514-v1:0", "bedrock", "us.anthropic.claude-opus-4-20250514-v1:0")]
    [InlineData("vertex:claude-opus-4@20250514", "vertex", "claude-opus-4@20250514")]
    [InlineData("OpenAI:gpt-4.1", "openai", "gpt-4.1")]
    public void Resolve_ExplicitSpec_UsesItsProvider(string spec, string provider, string model)
    {
        var route = ModelResolution.Resolve(spec, environment: NoEnvironment);

        (route.Provider.Id, route.Model, route.ResolvedBy).Should().Be((provider, model, "spec"));
    }

    [Fact]
    public void Resolve_OpenAiCompatible_TakesTheUrlFromTheSpec()
    {
        var route = ModelResolution.Resolve("openai-compatible:http://127.0.0.1:8000/v1#Qwen/Qwen3-8B");

        (route.Endpoint!.ToString(), route.Model, route.Spec).Should().Be(("http://127.0.0.1:8000/v1", "Qwen/Qwen3-8B", "openai-compatible:http://127.0.0.1:8000/v1#Qwen/Qwen3-8B"));
    }

    [Fact]
    public void Resolve_EndpointVariableSet_UsesTheOverride()
    {
        var route = ModelResolution.Resolve("deepseek-ai/DeepSeek-R1", environment: name => name == "TOGETHER_BASE_URL" ? "http://127.0.0.1:9/v1" : null);

        route.Endpoint.Should().Be(new Uri("http://127.0.0.1:9/v1"));
    }

    [Theory]
    [InlineData("openrouter", "openrouter", "deepseek-ai/DeepSeek-R1")]
    [InlineData("deepseek:deepseek-reasoner", "deepseek", "deepseek-reasoner")]
    public void Resolve_Override_WinsOverTheReferenceRules(string chosen, string provider, string model)
    {
        var overrides = new Dictionary<string, string> { ["deepseek-ai/DeepSeek-R1"] = chosen };

        var route = ModelResolution.Resolve("deepseek-ai/DeepSeek-R1", overrides, NoEnvironment);

        (route.Provider.Id, route.Model, route.ResolvedBy, route.Name).Should().Be((provider, model, "override", "deepseek-ai/DeepSeek-R1"));
    }

    [Fact]
    public void Resolve_Options_SetTheThinkingBudgetAndTheEffort()
    {
        ModelResolution.Resolve("anthropic:claude-opus-4-0+thinking=8000").ThinkingBudget.Should().Be(8000);
        ModelResolution.Resolve("claude-opus-4-20250514+thinking=2048").Should().Match<ModelRoute>(r => r.ThinkingBudget == 2048 && r.Provider.Id == "anthropic" && r.Name == "claude-opus-4-20250514+thinking=2048");
        ModelResolution.Resolve("openai:o3+effort=high").Effort.Should().Be(ReasoningEffort.High);
        ModelResolution.Resolve("deepseek:deepseek-reasoner+effort=low").Effort.Should().Be(ReasoningEffort.Low);
    }

    [Theory]
    [InlineData("acme-7b", "has no provider prefix")]
    [InlineData("acme:large", "'acme' is not a provider")]
    [InlineData("openai:", "names no model")]
    [InlineData("demo:evil", "the demo agents are")]
    [InlineData("openai-compatible:http://127.0.0.1:9/v1", "must be openai-compatible:URL#MODEL")]
    [InlineData("openai-compatible:http://user:secret@127.0.0.1:9/v1#m", "must not carry credentials")]
    [InlineData("openai-compatible:http://127.0.0.1:9/v1?key=secret#m", "must not carry credentials")]
    [InlineData("openai-compatible:ftp://127.0.0.1/v1#m", "is not an http(s) URL")]
    [InlineData("openai:gpt-4.1+thinking=4000", "applies to the anthropic, bedrock and vertex providers")]
    [InlineData("anthropic:claude-x+thinking=100", "at least 1024")]
    [InlineData("anthropic:claude-x+effort=max", "none, low, medium, high or xhigh")]
    [InlineData("anthropic:claude-x+thinking=2000+effort=high", "not both")]
    [InlineData("ollama:qwen3+effort=high", "not ollama")]
    [InlineData("openai:gpt-4.1+temperature=0", "unknown option '+temperature'")]
    [InlineData("", "empty")]
    public void TryResolve_BadSpec_NamesTheProblemWithoutItsSecrets(string spec, string problem)
    {
        ModelResolution.TryResolve(spec, null, NoEnvironment, out var route, out string? message).Should().BeFalse();

        route.Should().BeNull();
        message.Should().Contain(problem).And.NotContain("secret");
    }

    [Fact]
    public void TryResolve_OverrideToAnUnknownProvider_IsAProblem()
    {
        ModelResolution.TryResolve("gpt-4.1", new Dictionary<string, string> { ["gpt-4.1"] = "acme" }, NoEnvironment, out _, out string? problem).Should().BeFalse();

        problem.Should().Contain("routes model 'gpt-4.1' to 'acme'");
    }

    [Fact]
    public void TryResolve_EndpointOverrideWithCredentials_IsRefusedWithoutRepeatingThem()
    {
        ModelResolution.TryResolve("xai:grok-3", null, name => name == "XAI_BASE_URL" ? "https://me:secret@proxy.example/v1" : null, out _, out string? problem).Should().BeFalse();

        problem.Should().Contain("XAI_BASE_URL").And.NotContain("secret");
    }

    [Fact]
    public void KnownProviders_EveryProviderHasAUniquePrefix()
    {
        KnownProviders.All.Select(p => p.Id).Should().OnlyHaveUniqueItems().And.Contain(["openai", "anthropic", "gemini", "openrouter", "together", "deepseek", "xai", "azure-openai", "bedrock", "vertex", "ollama", "openai-compatible", "demo"]);
    }
}
