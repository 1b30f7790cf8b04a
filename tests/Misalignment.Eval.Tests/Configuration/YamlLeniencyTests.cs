using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Configuration;

/// <summary>PyYAML's literal-block leniency: a block scalar whose first lines hold only spaces.</summary>
public class YamlLeniencyTests
{
    private static string? Warning(string block) =>
        ExperimentSpecLoader.FromYaml($"global:\n  alignment_faking:\n    enabled: true\n    warning_text: {block}").Render.AlignmentFakingWarning;

    [Theory]
    [InlineData("|\n      \n      Be careful.\n", "\nBe careful.\n")]
    [InlineData("|\n  \n      Be careful.\n", "\nBe careful.\n")]
    [InlineData("|\n      \n    \n      Two lines\n      of text.\n", "\n\nTwo lines\nof text.\n")]
    [InlineData("|-\n      \n      Stripped.\n", "\nStripped.")]
    [InlineData("|+  # keep\n      \n      Kept.\n\n", "\nKept.\n\n")]
    [InlineData(">\n      \n      Folded\n      text.\n", "\nFolded text.\n")]
    [InlineData("|\r\n      \r\n      Windows.\r\n", "\nWindows.\n")]
    public void FromYaml_BlockStartingWithSpaceLines_ReadsThemAsEmptyLines(string block, string expected)
    {
        Warning(block).Should().Be(expected);
    }

    [Fact]
    public void FromYaml_BlockOfSpacesOnly_IsEmptyAndTheNextKeyStillReads()
    {
        var spec = ExperimentSpecLoader.FromYaml("description: |\n      \nexperiment_id: after\n");

        spec.Description.Should().BeEmpty();
        spec.ExperimentId.Should().Be("after");
    }

    [Fact]
    public void FromYaml_BlockInAList_IsLenientToo()
    {
        var spec = ExperimentSpecLoader.FromYaml("global:\n  models:\n    - |-\n        \n        gpt-4.1\n");

        spec.Models.Should().Equal("\ngpt-4.1");
    }

    [Fact]
    public void FromYaml_SpaceLineDeeperThanTheText_IsStillRefused()
    {
        // PyYAML refuses this one too: the block's indentation would be the spaces' and the text would fall outside it.
        var act = () => Warning("|\n          \n      Text.\n");

        act.Should().Throw<ConfigurationException>().WithMessage("config.yaml:*: invalid YAML: *");
    }

    [Fact]
    public void FromYaml_TextOfABlockThatLooksLikeAHeader_IsNotTouched()
    {
        var spec = ExperimentSpecLoader.FromYaml("description: |\n  key: |\n     \n  end\n");

        spec.Description.Should().Be("key: |\n   \nend\n", "inside a block, spaces beyond its indentation are text");
    }

    [Fact]
    public void FromYaml_AfterTheLeniency_LinesAreUnchanged()
    {
        var act = () => ExperimentSpecLoader.FromYaml("description: |\n      \n      Text.\nglobal:\n  samples_per_condition: lots\n", "l.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("l.yaml:5: key 'global.samples_per_condition': *");
    }
}
