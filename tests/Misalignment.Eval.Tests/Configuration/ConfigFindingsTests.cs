using System.Text;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Cli;

namespace Misalignment.Eval.Tests.Configuration;

/// <summary>The configuration findings of issue 13: each was accepted silently, crashed, or answered without naming the culprit.</summary>
public sealed class ConfigFindingsTests : IDisposable
{
    private const string OneExpansion = "expansions:\n  - name: e\n    variables: {scenarios: [murder], goal_types: [none], urgency_types: [none]}\n";

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FromYaml_ThousandsOfUnknownKeys_WarnsAFewTimesThenSummarises()
    {
        var yaml = new StringBuilder("experiment_id: x\n");
        for (int i = 0; i < 5_000; i++)
        {
            yaml.Append("unknown_").Append(i).Append(": 1\n");
        }

        var spec = ExperimentSpecLoader.FromYaml(yaml.ToString(), "c.yaml");

        spec.Warnings.Should().HaveCount(ConfigLimits.MaxWarnings + 1);
        spec.Warnings[0].Should().Be("c.yaml:2: key 'unknown_0' is not used by Misalignment.Eval and was ignored.");
        spec.Warnings[^1].Should().Be($"c.yaml: {5_000 - ConfigLimits.MaxWarnings} more keys not used by Misalignment.Eval were ignored.");
    }

    [Fact]
    public void FromYaml_40KilobytesOfNestedBrackets_StopsAtTheDepthLimitWithOneLine()
    {
        string yaml = "global:\n  models: " + new string('[', 40_000) + "\n";

        var act = () => ExperimentSpecLoader.FromYaml(yaml, "deep.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("deep.yaml:2: key 'global.models*': nesting deeper than 64 levels.");
    }

    [Fact]
    public void FromJson_DeeplyNested_StopsAtDepth64()
    {
        string json = "{\"global\": {\"models\": " + new string('[', 40_000) + "}}";

        var act = () => ExperimentSpecLoader.FromJson(json, "deep.json");

        act.Should().Throw<ConfigurationException>().WithMessage("deep.json:1: invalid JSON: *depth of 64*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only comments\n# here\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void FromYaml_EmptyFile_IsRefused(string yaml)
    {
        var act = () => ExperimentSpecLoader.FromYaml(yaml, "empty.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("empty.yaml*: the configuration is empty*");
    }

    [Fact]
    public void FromJson_DuplicateKey_IsRefusedNamingBothLines()
    {
        var act = () => ExperimentSpecLoader.FromJson("{\n  \"experiment_id\": \"a\",\n  \"experiment_id\": \"b\"\n}", "dup.json");

        act.Should().Throw<ConfigurationException>().WithMessage("dup.json:3: key 'experiment_id': duplicate key (first at line 2).");
    }

    [Fact]
    public void FromJson_TrailingGarbage_IsRefused()
    {
        var act = () => ExperimentSpecLoader.FromJson("{\"experiment_id\": \"a\"}\n}garbage", "trail.json");

        act.Should().Throw<ConfigurationException>().WithMessage("trail.json:2: invalid JSON: *");
    }

    [Fact]
    public void FromYaml_SecondDocument_IsRefused()
    {
        var act = () => ExperimentSpecLoader.FromYaml("experiment_id: a\n---\nexperiment_id: b\n", "two.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("two.yaml:2: a second YAML document starts here; a configuration is one document.");
    }

    [Fact]
    public void Load_NonUtf8Bytes_IsRefusedNamingTheLine()
    {
        string path = Path.Combine(_temp.Path, "latin1.yaml");
        File.WriteAllBytes(path, [.. "global:\n  temperature: 1\n"u8, .. "experiment_id: caf"u8, 0xE9, .. "\n"u8]);

        var act = () => ExperimentSpecLoader.Load(path);

        act.Should().Throw<ConfigurationException>().WithMessage($"{path}:3: the file is not valid UTF-8 (byte 0xE9 at column 19); save it as UTF-8.");
    }

    [Fact]
    public void FromYaml_PromptCache_IsOnByDefault_OffWithTheKey_AndANonBooleanIsRefused()
    {
        ExperimentSpecLoader.FromYaml("execution:\n  retries: 2\n", "p.yaml").Execution.PromptCache.Should().BeTrue();
        ExperimentSpecLoader.FromYaml("execution:\n  prompt_cache: off\n", "p.yaml").Execution.PromptCache.Should().BeFalse("YAML 1.1's off, as PyYAML reads it");

        var act = () => ExperimentSpecLoader.FromYaml("execution:\n  prompt_cache: sometimes\n", "p.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("p.yaml:2: key 'execution.prompt_cache': expected true or false, found *sometimes*");
    }

    [Fact]
    public void FromYaml_RetriesBeyondTheFlagsCap_IsRefused()
    {
        var act = () => ExperimentSpecLoader.FromYaml("execution:\n  retries: 2147483647\n", "r.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("r.yaml:2: key 'execution.retries': must be at most 100, found 2147483647.");
    }

    [Theory]
    [InlineData("expansions:\n  - name: off\n    enabled: false\n    variables: {scenarios: [murder]}\n", "z.yaml:2: key 'expansions': no expansion is enabled, so the experiment has no conditions.")]
    [InlineData("expansions: []\n", "z.yaml:1: key 'expansions': no expansion is enabled, so the experiment has no conditions.")]
    [InlineData("expansions:\n  - name: e\n    variables:\n      scenarios: [murder]\n      goal_types: [explicit]\n      goal_values: [none]\n", "z.yaml:4: key 'expansions[0].variables': expansion 'e' has no conditions: goal types explicit, latent and swap need a goal value other than 'none'.")]
    [InlineData("expansions:\n  - name: e\n    variables:\n      scenarios: [murder]\n      urgency_types: []\n", "z.yaml:4: key 'expansions[0].variables': expansion 'e' has no conditions: 'urgency_types' is empty.")]
    public void FromYaml_GridWithNoConditions_IsRefused(string yaml, string expected)
    {
        var act = () => ExperimentSpecLoader.FromYaml(yaml, "z.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage(expected);
    }

    [Fact]
    public async Task Cli_FlagsThatLeaveNoConditions_Exit2()
    {
        var result = await CliRunner.RunAsync("conditions", "--goal-types", "explicit", "--goal-values", "none");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be("misalign: error: The grid has no conditions: goal types explicit, latent and swap need a goal value other than 'none'.\n");
    }

    [Theory]
    [InlineData("seed: 9223372036854775807\nglobal:\n  samples_per_condition: 3\n", "s.yaml:1: key 'seed': must be at most 9223372036854775805 with 3 samples per condition (sample i uses seed + i), found 9223372036854775807.")]
    [InlineData("global:\n  seed: 99999999999999999999\n", "s.yaml:2: key 'global.seed': must be at most 9223372036854775807, found 99999999999999999999.")]
    public void FromYaml_SeedThatOverflows_IsRefused(string yaml, string expected)
    {
        var act = () => ExperimentSpecLoader.FromYaml(yaml, "s.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage(expected);
    }

    [Fact]
    public async Task Cli_JsonDuplicateKeyInsideAMap_Exits2NamingTheKey()
    {
        string config = Path.Combine(_temp.Path, "dup.json");
        await File.WriteAllTextAsync(config, "{\n  \"global\": {\n    \"concurrency\": {\n      \"providers\": {\"openai\": 1,\n                    \"openai\": 2}\n    }\n  }\n}\n");

        var result = await CliRunner.RunAsync("conditions", "--config", config);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be($"misalign: error: {config}:5: key 'global.concurrency.providers.openai': duplicate key (first at line 4).\n");
    }

    [Theory]
    [InlineData("global:\n  models: [gpt-4.1, 4]\n", "m.yaml:2: key 'global.models[1]': expected a model name, found the number 4 (quote it if it is a name).")]
    [InlineData("expansions:\n  - name: e\n    models:\n      - 3.5\n    variables: {scenarios: [murder]}\n", "m.yaml:4: key 'expansions[0].models[0]': expected a model name, found the number 3.5 (quote it if it is a name).")]
    public void FromYaml_ModelSpecThatIsANumber_NamesFileAndLine(string yaml, string expected)
    {
        var act = () => ExperimentSpecLoader.FromYaml(yaml, "m.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage(expected);
    }

    [Fact]
    public async Task Cli_UnknownScenarioInsideAnExpansion_NamesFileAndLine()
    {
        string config = Path.Combine(_temp.Path, "s.yaml");
        await File.WriteAllTextAsync(config, "expansions:\n  - name: e\n    variables:\n      scenarios:\n        - murder\n        - blackmial\n      goal_types: [none]\n      goal_values: [none]\n      urgency_types: [none]\n");

        var result = await CliRunner.RunAsync("conditions", "--config", config);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be($"misalign: error: {config}:6: key 'expansions[0].variables.scenarios[1]': unknown scenario 'blackmial'; known scenarios: blackmail, leaking, murder.\n");
    }

    [Fact]
    public async Task Cli_BadFlagValue_SaysWhatIsExpectedWithoutDotNetTypeNames()
    {
        var result = await CliRunner.RunAsync("run", "--samples", "abc");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be("misalign: error: --samples: 'abc' is not a whole number. (see 'misalign run --help')\n");
    }

    [Fact]
    public async Task Cli_PackWithUnknownKey_NamesTheKeyWithoutDotNetWording()
    {
        string pack = Path.Combine(_temp.Path, "pack");
        Directory.CreateDirectory(pack);
        await File.WriteAllTextAsync(Path.Combine(pack, "scenario.json"), "{\"id\": \"x\", \"bogus\": 1}");

        var result = await CliRunner.RunAsync("scenarios", "--pack", pack);

        result.ExitCode.Should().Be(2);
        result.Error.Should().NotContain(".NET").And.NotContain("Misalignment.Eval.Scenarios.");
        result.Error.Should().Contain("unknown key 'bogus'");
    }
}
