using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Configuration;

public class RateLimitResolutionTests
{
    private static readonly RateLimit Gpt = new() { RequestsPerMinute = 500, Models = ["gpt-*"] };
    private static readonly RateLimit Free = new() { RequestsPerMinute = 20, Models = ["*:free"] };
    private static readonly RateLimit Qwen = new() { RequestsPerMinute = 60, Models = ["qwen/*"] };

    private static RateLimitSpec Spec(RateLimit? fallback = null) => new()
    {
        Models = new Dictionary<string, RateLimit> { ["gpt-4.1"] = new() { RequestsPerMinute = 900 } },
        Pools = new Dictionary<string, RateLimit> { ["openai"] = Gpt, ["free"] = Free, ["qwen"] = Qwen },
        Default = fallback,
    };

    [Theory]
    [InlineData("gpt-4.1", "Override", "gpt-4.1", 900)]
    [InlineData("gpt-4o", "Pool", "openai", 500)]
    [InlineData("qwen/qwen3-32b:free", "Pool", "free", 20)]
    [InlineData("qwen/qwen3-32b", "Pool", "qwen", 60)]
    [InlineData("claude-opus-4", "None", null, null)]
    public void Resolve_OverrideThenFirstMatchingPoolThenNone(string model, string sourceName, string? key, int? rpm)
    {
        var resolved = Spec().Resolve(model);

        resolved.Source.Should().Be(Enum.Parse<RateLimitSource>(sourceName));
        resolved.Key.Should().Be(key);
        resolved.Limit?.RequestsPerMinute.Should().Be(rpm);
    }

    [Fact]
    public void Resolve_NoOverrideNoPool_FallsBackToTheDefault()
    {
        var fallback = new RateLimit { RequestsPerMinute = 30 };

        var resolved = Spec(fallback).Resolve("claude-opus-4");

        resolved.Should().Be(new RateLimitResolution(fallback, RateLimitSource.Default, null));
        resolved.BudgetKey("claude-opus-4").Should().Be("default:claude-opus-4");
    }

    [Fact]
    public void Resolve_Alias_IsTriedAtEachStep()
    {
        var spec = Spec();

        spec.Resolve("openai:gpt-4.1", "gpt-4.1").Source.Should().Be(RateLimitSource.Override);
        spec.Resolve("openai:gpt-4o", "gpt-4o").Key.Should().Be("openai");
        spec.Resolve("openai:gpt-4o").Source.Should().Be(RateLimitSource.None);
    }

    [Fact]
    public void BudgetKey_PoolMembersShareOneBudget()
    {
        var spec = Spec();

        spec.Resolve("gpt-4o").BudgetKey("gpt-4o").Should().Be("pool:openai").And.Be(spec.Resolve("gpt-4.1-mini").BudgetKey("gpt-4.1-mini"));
        spec.Resolve("claude").BudgetKey("claude").Should().BeNull();
    }

    [Fact]
    public void FromYaml_PoolsAndDefault_ResolveAsWritten()
    {
        var spec = ExperimentSpecLoader.FromYaml("""
            global:
              rate_limits:
                default: 40
                pools:
                  free_tier: {rpm: 20, models: ["*:free"]}
                  qwen: {rpm: 60, tpm: 100000, models: ["qwen/*"]}
                model_overrides:
                  "qwen/qwen3-235b-a22b": {rpm: 90}
            """);

        spec.RateLimits.Resolve("qwen/qwen3-235b-a22b").Limit!.RequestsPerMinute.Should().Be(90);
        spec.RateLimits.Resolve("qwen/qwen3-32b").Limit.Should().Be(new RateLimit { RequestsPerMinute = 60, TokensPerMinute = 100_000, Models = spec.RateLimits.Pools["qwen"].Models });
        spec.RateLimits.Resolve("qwen/qwen3-32b:free").Key.Should().Be("free_tier");
        spec.RateLimits.Resolve("gpt-4.1").Should().Be(new RateLimitResolution(new RateLimit { RequestsPerMinute = 40 }, RateLimitSource.Default, null));
    }

    [Fact]
    public void FromYaml_PoolWrittenAsANumber_IsRefused()
    {
        var act = () => ExperimentSpecLoader.FromYaml("global:\n  rate_limits:\n    pools:\n      p: 100\n", "p.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("p.yaml:4: key 'global.rate_limits.pools.p': a pool is a mapping with 'rpm'*");
    }
}

public class ModelGlobTests
{
    [Theory]
    [InlineData("gpt-*", "gpt-4.1", true)]
    [InlineData("gpt-*", "gpt-", true)]
    [InlineData("gpt-*", "chatgpt-4o", false)]
    [InlineData("qwen/*", "qwen/qwen3-235b-a22b", true)]
    [InlineData("qwen/*", "qwen", false)]
    [InlineData("*:free", "meta-llama/llama-4-maverick:free", true)]
    [InlineData("*:free", "meta-llama/llama-4-maverick:freeze", false)]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("o?", "o3", true)]
    [InlineData("o?", "o33", false)]
    [InlineData("claude-[34]-*", "claude-3-opus", true)]
    [InlineData("claude-[34]-*", "claude-5-opus", false)]
    [InlineData("claude-[!34]-*", "claude-5-opus", true)]
    [InlineData("gpt-4.[0-5]", "gpt-4.1", true)]
    [InlineData("gpt-4.[0-5]", "gpt-4.7", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("[", "[", true)]
    [InlineData("GPT-*", "gpt-4.1", false)]
    public void IsMatch_AsPythonFnmatch(string pattern, string name, bool expected)
    {
        ModelGlob.IsMatch(pattern, name).Should().Be(expected);
    }

    [Fact]
    public void IsMatch_ManyStarsOnALongName_DoesNotBlowUp()
    {
        string pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "b";
        string name = new('a', 5_000);

        // Backtracking by the last star only: quadratic in the worst case, never exponential.
        ModelGlob.IsMatch(pattern, name).Should().BeFalse();
    }
}
