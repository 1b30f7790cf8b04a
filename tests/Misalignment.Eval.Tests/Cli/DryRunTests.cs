using Misalignment.Eval.Cli;

namespace Misalignment.Eval.Tests.Cli;

/// <summary><c>misalign run --dry-run</c> prints the plan and calls nothing: models with their providers, limits, calls, tokens and missing key variables.</summary>
public sealed class DryRunTests : IDisposable
{
    private const string OpenAiKey = "sk-dryrun-0123456789abcdefghijklmnop";

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DryRun_MultiModelStudy_ListsTheTwelveModelsWhereTheReferencePutsThemAndTheMissingKeys()
    {
        string output = Path.Combine(_temp.Path, "out");

        var (exit, stdout, stderr) = await RunAsync(["run", "--config", Path.Combine(TestPaths.Data, "configs", "multi-model-study.yaml"), "--out", output, "--dry-run"], new() { ["OPENAI_API_KEY"] = OpenAiKey });

        exit.Should().Be(0, stderr);
        var models = stdout.Split('\n').Where(l => l.StartsWith("    ", StringComparison.Ordinal)).ToList();
        models.Should().HaveCount(12);
        models.Single(l => l.StartsWith("    gpt-4.1:", StringComparison.Ordinal)).Should().Contain("provider openai (reference)").And.Contain("600 rpm");
        models.Single(l => l.StartsWith("    qwen/qwen3-32b:free:", StringComparison.Ordinal)).Should().Contain("provider openrouter").And.Contain("key OPENROUTER_API_KEY");
        models.Single(l => l.StartsWith("    claude-opus-4-20250514:", StringComparison.Ordinal)).Should().Contain("provider anthropic");
        models.Single(l => l.StartsWith("    deepseek-ai/DeepSeek-R1:", StringComparison.Ordinal)).Should().Contain("provider together (reference)");
        stdout.Should().Contain("calls: 750 to the models, 750 to the judge").And.Contain("estimated tokens: models");
        stdout.Should().Contain("API keys missing: ANTHROPIC_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY, TOGETHER_API_KEY").And.NotContain(OpenAiKey);
        Directory.Exists(output).Should().BeFalse("a dry run writes nothing");
    }

    [Fact]
    public async Task DryRun_DeepSeekR1AsTheReferenceNamesIt_GoesToTogether()
    {
        string config = Path.Combine(_temp.Path, "r1.yaml");
        File.WriteAllText(config, """
            experiment_id: r1
            global:
              models: ["deepseek-ai/DeepSeek-R1", "gpt-4.1"]
              samples_per_condition: 3
            expansions:
              - name: one
                enabled: true
                variables:
                  scenarios: [murder]
                  goal_types: [explicit]
                  goal_values: [america]
                  urgency_types: [replacement]
            """);

        var (exit, stdout, _) = await RunAsync(["run", "--config", config, "--dry-run"], []);

        exit.Should().Be(0);
        stdout.Should().Contain("deepseek-ai/DeepSeek-R1: provider together (reference)").And.Contain("key TOGETHER_API_KEY");
        stdout.Should().Contain("calls: 6 to the models, 0 to the judge").And.Contain("API keys missing: OPENAI_API_KEY, TOGETHER_API_KEY");
    }

    [Fact]
    public async Task DryRun_ModelProvidersInTheConfig_OverrideWhereANameGoes()
    {
        string config = Path.Combine(_temp.Path, "override.yaml");
        File.WriteAllText(config, """
            experiment_id: override
            global:
              models: ["gpt-4.1", "deepseek-ai/DeepSeek-R1"]
              model_providers:
                gpt-4.1: azure-openai
                deepseek-ai/DeepSeek-R1: "openrouter:deepseek/deepseek-r1"
              samples_per_condition: 1
            expansions:
              - name: one
                enabled: true
                variables: { scenarios: [murder], goal_types: [none], goal_values: [none], urgency_types: [none] }
            """);

        var (exit, stdout, stderr) = await RunAsync(["run", "--config", config, "--dry-run"], []);

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("gpt-4.1: provider azure-openai (override)").And.Contain("deepseek-ai/DeepSeek-R1: provider openrouter (override), model deepseek/deepseek-r1");
    }

    [Theory]
    [InlineData("figure-1-blackmail.yaml", 5, "calls: 500 to the models, 500 to the judge")]
    [InlineData("figure-11-lethal-action.yaml", 8, "calls: 800 to the models, 800 to the judge")]
    public async Task DryRun_TheReproducingGuidesFiles_PlanWhatTheGuideSays(string file, int models, string calls)
    {
        var (exit, stdout, stderr) = await RunAsync(["run", "--config", Path.Combine(TestPaths.RepositoryRoot, "docs", "examples", file), "--dry-run"], []);

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("conditions: 1; samples per condition: 100").And.Contain(calls).And.Contain("deepseek-ai/DeepSeek-R1: provider together");
        stdout.Split('\n').Count(l => l.StartsWith("    ", StringComparison.Ordinal)).Should().Be(models);
        File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "reproducing.md")).Should().Contain(calls.Replace("calls: ", string.Empty, StringComparison.Ordinal).Split(',')[0]);
    }

    [Fact]
    public async Task RunHelp_ListsEveryProviderWithItsKeyVariable()
    {
        var (exit, stdout, _) = await RunAsync(["run", "--help"], []);

        exit.Should().Be(0);
        string help = string.Join(' ', stdout.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        foreach (string provider in new[] { "openai", "anthropic", "gemini", "openrouter", "together", "deepseek", "xai", "azure-openai", "bedrock", "vertex", "ollama", "openai-compatible", "demo" })
        {
            help.Should().Contain(provider, "misalign run --help lists every provider");
        }

        help.Should().Contain("OPENROUTER_API_KEY").And.Contain("TOGETHER_API_KEY").And.Contain("GEMINI_API_KEY");
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliApp.RunAsync(args, new CliContext(output, error) { Environment = name => environment.GetValueOrDefault(name) });
        return (exit, output.ToString(), error.ToString());
    }
}
