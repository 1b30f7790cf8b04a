using Misalignment.Eval.Cli;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>The adaptive limiter is on by default and turned off by <c>--no-adaptive-limits</c> or <c>execution.adaptive_rate_limits: false</c>; the dry run says which.</summary>
public sealed class AdaptiveLimitsCliTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Config_AdaptiveRateLimits_IsReadAndOnByDefault()
    {
        ExperimentSpecLoader.FromYaml("execution:\n  retries: 2\n").Execution.AdaptiveRateLimits.Should().BeTrue();
        ExperimentSpecLoader.FromYaml("execution:\n  adaptive_rate_limits: false\n").Execution.AdaptiveRateLimits.Should().BeFalse();
        new ExperimentSpec().Execution.AdaptiveRateLimits.Should().BeTrue();
    }

    [Fact]
    public void Config_AdaptiveRateLimitsNotABoolean_IsOneLineNamingFileLineAndKey()
    {
        var act = () => ExperimentSpecLoader.FromYaml("execution:\n  retries: 2\n  adaptive_rate_limits: sometimes\n", "a.yaml");

        act.Should().Throw<ConfigurationException>().Which.Message.Should().StartWith("a.yaml:3: key 'execution.adaptive_rate_limits':").And.NotContain("\n");
    }

    [Theory]
    [InlineData(false, false, "adaptive rate limits: on")]
    [InlineData(true, false, "adaptive rate limits: off")]
    [InlineData(false, true, "adaptive rate limits: off")]
    public async Task DryRun_SaysWhetherTheAdaptiveLimitsAreOn(bool flag, bool configOff, string expected)
    {
        string config = Path.Combine(_temp.Path, "c.yaml");
        File.WriteAllText(config, $"""
            experiment_id: adaptive
            global:
              models: ["openai:gpt-4.1"]
            expansions:
              - name: one
                variables: {"{"} scenarios: [murder], goal_types: [none], goal_values: [none], urgency_types: [none] {"}"}
            execution:
              adaptive_rate_limits: {(configOff ? "false" : "true")}
            """);
        string[] args = flag ? ["run", "--config", config, "--dry-run", "--no-adaptive-limits"] : ["run", "--config", config, "--dry-run"];

        var result = await CliRunner.RunWithoutKeysAsync(args);

        result.ExitCode.Should().Be(0, result.Error);
        result.Lines.Should().ContainSingle(l => l.StartsWith("  adaptive rate limits: ", StringComparison.Ordinal)).Which.Should().StartWith("  " + expected);
    }
}
