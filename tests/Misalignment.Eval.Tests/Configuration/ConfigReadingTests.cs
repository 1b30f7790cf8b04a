using System.Text;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Configuration;

/// <summary>How the readers and the binder treat nulls, YAML's conveniences, duplicates and large inputs.</summary>
public class ConfigReadingTests
{
    [Fact]
    public void FromYaml_KeysHoldingOnlyComments_ReadAsEmpty()
    {
        var spec = ExperimentSpecLoader.FromYaml("""
            global:
              models:
                # none yet
              concurrency:
                providers:
                  # openai: 10
                models:
              rate_limits:
                providers:
                pools:
                  # later
                model_overrides:
                  # "gpt-4.1": 900
              alignment_faking:
                # off
            expansions:
              - name: e
                models:
                  # the global list
                variables:
                  scenarios: [murder]
                  goal_types: [none]
                  goal_values: [none]
                  urgency_types: [none]
            classification:
              models:
            execution:
            """);

        spec.Models.Should().BeEmpty();
        spec.Concurrency.Should().BeEquivalentTo(new ConcurrencySpec());
        spec.RateLimits.Should().BeEquivalentTo(new RateLimitSpec());
        spec.Render.AlignmentFakingWarning.Should().BeNull();
        spec.Expansions.Single().Models.Should().BeEmpty();
        spec.Classification.Models.Should().BeEmpty();
        spec.Execution.Should().Be(new ExecutionSpec());
        spec.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void FromYaml_ExpansionsHoldingOnlyComments_IsRefused()
    {
        var act = () => ExperimentSpecLoader.FromYaml("experiment_id: x\nexpansions:\n  # - name: later\n", "n.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("n.yaml:2: key 'expansions': no expansion is enabled, so the experiment has no conditions.");
    }

    [Fact]
    public void FromYaml_NullOptionalSettings_MeanNotSet()
    {
        var spec = ExperimentSpecLoader.FromYaml("global:\n  temperature: ~\n  seed: null\nclassification:\n  classifier_model:\n  concurrency: ~\nexecution:\n  timeout_seconds:\n  retries: null\n");

        spec.Temperature.Should().BeNull();
        spec.Seed.Should().BeNull();
        spec.Classification.ClassifierModel.Should().BeNull();
        spec.Classification.Concurrency.Should().BeNull();
        spec.Execution.TimeoutSeconds.Should().BeNull();
        spec.Execution.Retries.Should().BeNull();
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("False", false)]
    public void FromYaml_Yaml11Booleans_ReadAsPyYamlReadsThem(string text, bool expected)
    {
        var spec = ExperimentSpecLoader.FromYaml($"classification:\n  enabled: {text}\n");

        spec.Classification.Enabled.Should().Be(expected);
    }

    [Fact]
    public void FromYaml_AnchorsAliasesAndMergeKeys_WorkAsInPyYaml()
    {
        var spec = ExperimentSpecLoader.FromYaml("""
            axes: &axes
              goal_types: [explicit]
              goal_values: [america]
              urgency_types: [replacement]
            expansions:
              - name: one
                variables:
                  <<: *axes
                  scenarios: [murder]
              - name: two
                variables:
                  <<: *axes
                  scenarios: [blackmail]
                  urgency_types: [none]
            """);

        spec.Conditions().Select(c => c.Id).Should().Equal("murder_explicit-america_replacement", "blackmail_explicit-america_none");
        spec.Warnings.Should().ContainSingle().Which.Should().Contain("key 'axes' is not used");
    }

    [Fact]
    public void FromYaml_UnknownAlias_IsRefused()
    {
        var act = () => ExperimentSpecLoader.FromYaml("global:\n  models: *nowhere\n", "a.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("a.yaml:2: key 'global.models': the alias '*nowhere' names no anchor defined above it.");
    }

    [Fact]
    public void FromYaml_DuplicateKey_NamesBothLines()
    {
        var act = () => ExperimentSpecLoader.FromYaml("global:\n  temperature: 1\n  samples_per_condition: 2\n  temperature: 0\n", "d.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("d.yaml:4: key 'global.temperature': duplicate key (first at line 2).");
    }

    [Theory]
    [InlineData("- a\n- b\n", "r.yaml:1: a configuration is a mapping of keys to values, found a list.")]
    [InlineData("just text\n", "r.yaml:1: a configuration is a mapping of keys to values, found 'just text'.")]
    [InlineData("[1: 2]: x\n", "r.yaml:1: keys must be plain strings.")]
    public void FromYaml_RootThatIsNotAMapping_IsRefused(string yaml, string expected)
    {
        var act = () => ExperimentSpecLoader.FromYaml(yaml, "r.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage(expected);
    }

    [Fact]
    public void FromJson_100000ItemList_FindsLineNumbersLookingAtEachByteOnce()
    {
        var json = new StringBuilder("{\"global\": {\"models\": [\n");
        for (int i = 0; i < 100_000; i++)
        {
            json.Append("\"m").Append(i).Append(i + 1 < 100_000 ? "\",\n" : "\"\n");
        }

        string text = json.Append("]}}").ToString();

        var root = JsonConfigReader.Read(text, "big.json", out var lines);

        lines.BytesScanned.Should().BeLessThanOrEqualTo(Encoding.UTF8.GetByteCount(text), "the reader must stay linear in the input (it looked at the whole prefix per value before)");
        ((ConfigSequence)((ConfigMapping)((ConfigMapping)root)["global"]!)["models"]!).Items[^1].Line.Should().Be(100_001);
    }

    [Fact]
    public void FromJson_ModelLocations_AreRecordedForLaterErrors()
    {
        var spec = ExperimentSpecLoader.FromJson("{\n \"global\": {\"models\": [\n  \"a\",\n  \"b\"]},\n \"expansions\": [{\"name\": \"e\", \"models\": \"c\",\n  \"variables\": {\"scenarios\": [\"murder\"], \"goal_types\": [\"none\"], \"goal_values\": [\"none\"], \"urgency_types\": [\"none\"]}}]\n}", "l.json");

        spec.LocationOf("global.models[1]").Should().Be(new ConfigLocation("l.json", 4, "global.models[1]"));
        spec.LocationOf("expansions[0].models[0]").Should().Be(new ConfigLocation("l.json", 5, "expansions[0].models"));
        spec.LocationOf("expansions[0].variables.scenarios[0]")!.Line.Should().Be(6);
        spec.LocationOf("nothing").Should().BeNull();
    }

    [Fact]
    public void EnsureScenariosKnown_SpecBuiltInCode_NamesTheExpansion()
    {
        var spec = new ExperimentSpec { Expansions = [new GridExpansion { Name = "mine", Scenarios = ["murder", "arson"] }] };

        var act = () => spec.EnsureScenariosKnown(["murder"]);

        act.Should().Throw<MisalignmentEvalException>().WithMessage("Expansion 'mine': unknown scenario 'arson'; known scenarios: murder.");
    }

    [Fact]
    public void PlanByModel_DefaultModelsAndAdjust_ApplyToExpansionsWithoutTheirOwnModels()
    {
        var spec = ExperimentSpecLoader.FromYaml("""
            global:
              models: [a]
            expansions:
              - name: global_models
                variables: {scenarios: [murder], goal_types: [none], goal_values: [none], urgency_types: [none, replacement]}
              - name: own
                models: [b, a]
                variables: {scenarios: [murder, blackmail], goal_types: [none], goal_values: [none], urgency_types: [none]}
              - name: off
                enabled: false
                models: [z]
                variables: {scenarios: [leaking], goal_types: [none], goal_values: [none], urgency_types: [none]}
            """);

        spec.PlanByModel().Select(p => (p.Model, string.Join(' ', p.Conditions.Select(c => c.Id)))).Should().Equal(
            ("a", "murder_none-none_none murder_none-none_replacement blackmail_none-none_none"),
            ("b", "murder_none-none_none blackmail_none-none_none"));
        spec.PlanByModel(defaultModels: ["cli"], adjust: e => e with { Urgencies = [UrgencyType.Restriction] })
            .Select(p => (p.Model, p.Conditions.Count)).Should().Equal(("cli", 1), ("b", 2), ("a", 2));
    }
}
