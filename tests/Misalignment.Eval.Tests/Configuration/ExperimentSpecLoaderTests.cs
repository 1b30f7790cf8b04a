
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Configuration;

public class ExperimentSpecLoaderTests
{
    private static string ReferenceYaml => Path.Combine(TestPaths.Data, "configs", "reference-two-expansions.yaml");

    [Fact]
    public void Load_ReferenceYaml_ReadsEveryKey()
    {
        var spec = ExperimentSpecLoader.Load(ReferenceYaml);

        spec.ExperimentId.Should().Be("two_expansions");
        spec.Researcher.Should().Be("A. Researcher");
        spec.Models.Should().Equal("claude-3-5-latest", "gpt-4.1");
        spec.Temperature.Should().Be(1.0);
        spec.SamplesPerCondition.Should().Be(3);
        spec.Concurrency.Providers.Should().Contain("openai", 100);
        spec.Concurrency.Models.Should().Contain("claude-3-5-latest", 5);
        spec.RateLimits.Pools["openai_pool"].Should().BeEquivalentTo(new RateLimit { RequestsPerMinute = 500, Models = ["gpt-*"] });
        spec.RateLimits.Models["claude-3-5-latest"].RequestsPerMinute.Should().Be(40);
        spec.Expansions.Select(e => (e.Name, e.Enabled)).Should().Equal(("explicit_america", true), ("no_conflict", true), ("all_murder", false));
        spec.Classification.Should().BeEquivalentTo(new ClassificationSpec
        {
            Enabled = true,
            ClassifierModel = "claude-3-7-sonnet-20250219",
            Concurrency = 20,
            Models = new Dictionary<string, string> { ["murder"] = "murder_classifier", ["blackmail"] = "blackmail_classifier", ["leaking"] = "leak_classifier" },
        });
        spec.Execution.Should().Be(new ExecutionSpec { ResumeInterrupted = true, TimeoutSeconds = 180, Retries = 1, CheckpointFrequency = 5 });
        spec.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Conditions_TwoEnabledExpansions_Gives18()
    {
        var conditions = ExperimentSpecLoader.Load(ReferenceYaml).Conditions();

        conditions.Should().HaveCount(18);
        conditions.Select(c => c.Id).Should().NotContain(id => id.Contains("latent", StringComparison.Ordinal));
    }

    [Fact]
    public void FromJson_SameKeys_GivesTheSameSpec()
    {
        const string Json = """
        {
          "experiment_id": "two_expansions",
          "global": { "models": ["gpt-4.1"], "samples_per_condition": 3, "temperature": 0.5 },
          "production_variant": true,
          "extra_system_instructions": "dont",
          "expansions": [
            { "name": "explicit_america", "variables": { "scenarios": ["blackmail", "leaking", "murder"], "goal_types": ["explicit"], "goal_values": ["america"], "urgency_types": ["replacement", "restriction", "none"] } },
            { "name": "no_conflict", "variables": { "scenarios": ["blackmail", "leaking", "murder"], "goal_types": ["none"], "goal_values": ["america"], "urgency_types": ["replacement", "restriction", "none"] } }
          ]
        }
        """;

        var spec = ExperimentSpecLoader.FromJson(Json);

        spec.Conditions().Select(c => c.Id).Should().Equal(ExperimentSpecLoader.Load(ReferenceYaml).Conditions().Select(c => c.Id));
        spec.Temperature.Should().Be(0.5);
        spec.Render.Variant.Should().Be(PromptVariant.Prod);
        spec.Render.ExtraInstructions.Should().Be(ExtraInstructions.Dont);
    }

    [Theory]
    [InlineData("global:\n  samples_per_condition: \"many\"\n", "config.yaml:2: key 'global.samples_per_condition': expected a whole number, found the string \"many\".")]
    [InlineData("global:\n  samples_per_condition: 0\n", "config.yaml:2: key 'global.samples_per_condition': must be at least 1, found 0.")]
    [InlineData("global:\n  temperature: 7\n", "config.yaml:2: key 'global.temperature': must be between 0 and 2, found 7.")]
    [InlineData("global:\n  models: {a: 1}\n", "config.yaml:2: key 'global.models': expected a list of model names, found a mapping.")]
    [InlineData("expansions:\n  - name: x\n    variables:\n      scenarios: [murder]\n      goal_types: [explicit, implicit]\n", "config.yaml:5: key 'expansions[0].variables.goal_types[1]': unknown goal type 'implicit'*")]
    [InlineData("expansions:\n  - name: x\n    enabled: maybe\n    variables: {scenarios: [murder]}\n", "config.yaml:3: key 'expansions[0].enabled': expected true or false, found 'maybe'.")]
    [InlineData("expansions:\n  - name: x\n    variables:\n      goal_types: [none]\n", "config.yaml:4: key 'expansions[0].variables': expansion 'x' lists no scenarios.")]
    [InlineData("global: [1, 2]\n", "config.yaml:1: key 'global': expected a mapping of keys to values, found a list.")]
    [InlineData("global:\n  models: [a\n", "config.yaml:*: invalid YAML*")]
    public void FromYaml_BadValue_NamesFileLineAndKey(string yaml, string expected)
    {
        var act = () => ExperimentSpecLoader.FromYaml(yaml);

        act.Should().Throw<MisalignmentEvalException>().WithMessage(expected);
    }

    [Fact]
    public void FromJson_BadValue_NamesLineAndKey()
    {
        var act = () => ExperimentSpecLoader.FromJson("{\n  \"global\": {\n    \"temperature\": \"hot\"\n  }\n}", "exp.json");

        act.Should().Throw<ConfigurationException>().WithMessage("exp.json:3: key 'global.temperature': expected a number, found the string \"hot\".");
    }

    [Fact]
    public void FromYaml_UnknownKey_IsAWarningNotAnError()
    {
        var spec = ExperimentSpecLoader.FromYaml("experiment_id: x\nglobal:\n  modles: [a]\n", "c.yaml");

        spec.Warnings.Should().Equal("c.yaml:3: key 'global.modles' is not used by Misalignment.Eval and was ignored.");
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var act = () => ExperimentSpecLoader.Load("/no/such/config.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("/no/such/config.yaml: configuration file not found.");
    }

    [Fact]
    public void FromYaml_AlignmentFaking_SetsTheWarningText()
    {
        var spec = ExperimentSpecLoader.FromYaml("global:\n  alignment_faking:\n    enabled: true\n    warning_type: custom\n    warning_text: \"Be aware.\"\n");

        spec.Render.AlignmentFakingWarning.Should().Be("Be aware.");
    }

    [Fact]
    public void ModelsFor_ExpansionWithItsOwnModels_OverridesTheGlobalList()
    {
        var spec = ExperimentSpecLoader.FromYaml("global:\n  models: [a]\nexpansions:\n  - name: e\n    models: [b, c]\n    variables: {scenarios: [murder]}\n");

        spec.ModelsFor(spec.Expansions[0]).Should().Equal("b", "c");
        spec.ModelsFor(new GridExpansion()).Should().Equal("a");
    }
}
