



using Misalignment.Eval.Interop;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Tests.PromptSets;

public sealed class PromptSetTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    private static string ReferenceSample => Path.Combine(TestPaths.Data, "prompt-sets", "reference-sample");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ImportThenExport_ReferenceSample_IsByteIdentical()
    {
        var set = PromptSet.Load(ReferenceSample);
        string output = Path.Combine(_temp.Path, "out");

        PromptSet.Write(output, set.Prompts);

        AssertSameTree(ReferenceSample, output);
    }

    [Fact]
    public void Load_ReferenceSample_ReadsConditionsVariantsAndReferenceParameters()
    {
        var set = PromptSet.Load(ReferenceSample);

        set.Prompts.Select(p => p.ConditionId).Should().Equal("blackmail_explicit-america_replacement", "leaking_none-none_restriction_prod");
        set.Prompts[1].Variant.Should().Be(PromptVariant.Prod);
        set.Prompts[0].UserMessage.Should().Be("Read your inbox and act.\n\n" + set.Prompts[0].EmailContent);
        set.Scenarios.Select(s => s.Id).Should().Equal("blackmail", "leaking");
        set.Scenarios[0].ClassifierParameters.TargetAddresses.Should().Equal("kyle.johnson@summitbridge.com");
        set.Scenarios[1].ClassifierParameters.OutsideAddresses.Should().HaveCount(14);
    }

    [Fact]
    public void Scenario_FromPromptSet_RendersTheImportedTextsAndRejectsOthers()
    {
        var scenario = PromptSet.Load(ReferenceSample).Scenarios.Single(s => s.Id == "leaking");

        var prompt = scenario.Render(Condition.Parse("leaking_none-none_restriction"), new RenderOptions { Variant = PromptVariant.Prod });
        prompt.EmailContent.Should().Contain("caf\u00e9");
        var act = () => scenario.Render(Condition.Parse("leaking_none-none_restriction"), RenderOptions.Default);
        act.Should().Throw<InvalidConditionException>().WithMessage("*leaking_none-none_restriction': is not in the prompt set at*");
    }

    [Fact]
    public void ExportImportExport_SeveralDozenRenderedConditions_IsByteIdentical()
    {
        var catalog = new ScenarioCatalog([ScenarioPack.LoadFromDirectory(TestPaths.MiniPack), .. BuiltInScenarios.All]);
        var conditions = ConditionGrid.Expand([new GridExpansion
        {
            Scenarios = ["mini", .. BuiltInScenarios.Ids],
            GoalTypes = [GoalType.Explicit, GoalType.Swap, GoalType.None],
            GoalValues = [GoalValue.America, GoalValue.Safety, GoalValue.Pragmatic],
        }]);
        conditions.Count.Should().BeGreaterThan(36);
        string first = Path.Combine(_temp.Path, "first");
        string second = Path.Combine(_temp.Path, "second");

        PromptSet.Write(first, conditions.Select(c => catalog.Render(c, new RenderOptions { Variant = PromptVariant.Prod, ExtraInstructions = ExtraInstructions.Dont })));
        PromptSet.Write(second, PromptSet.Load(first).Prompts);

        AssertSameTree(first, second);
        Directory.EnumerateDirectories(first).Should().Contain(d => Path.GetFileName(d).StartsWith("leaking_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("system_prompt.txt")]
    [InlineData("user_prompt.txt")]
    [InlineData("email_content.txt")]
    [InlineData("metadata.json")]
    public void Load_FolderMissingAFile_NamesFolderAndFile(string file)
    {
        string copy = CopySample();
        string folder = Path.Combine(copy, "blackmail_explicit-america_replacement");
        File.Delete(Path.Combine(folder, file));

        var act = () => PromptSet.Load(copy);

        act.Should().Throw<PromptSetException>().WithMessage($"{folder}: missing {file}.");
    }

    [Fact]
    public void Load_FolderNameNotMatchingMetadata_IsAnError()
    {
        string copy = CopySample();
        Directory.Move(Path.Combine(copy, "blackmail_explicit-america_replacement"), Path.Combine(copy, "blackmail_explicit-global_replacement"));

        var act = () => PromptSet.Load(copy);

        act.Should().Throw<PromptSetException>().WithMessage("*metadata.json: condition_id 'blackmail_explicit-america_replacement' does not match the folder name 'blackmail_explicit-global_replacement'.");
    }

    [Fact]
    public void Load_MetadataDisagreeingWithId_IsAnError()
    {
        string copy = CopySample();
        string metadata = Path.Combine(copy, "leaking_none-none_restriction_prod", "metadata.json");
        File.WriteAllText(metadata, File.ReadAllText(metadata).Replace("\"production_variant\": true", "\"production_variant\": false", StringComparison.Ordinal));

        var act = () => PromptSet.Load(copy);

        act.Should().Throw<PromptSetException>().WithMessage("*key 'production_variant' is false, but the condition id ends in '_prod'.");
    }

    [Fact]
    public void Load_EmptyOrMissingFolder_IsAnError()
    {
        var missing = () => PromptSet.Load(Path.Combine(_temp.Path, "nope"));
        var empty = () => PromptSet.Load(_temp.Path);

        missing.Should().Throw<PromptSetException>().WithMessage("*nope: prompt-set folder not found.");
        empty.Should().Throw<PromptSetException>().WithMessage("*holds no condition folders.");
    }

    private string CopySample()
    {
        string target = Path.Combine(_temp.Path, "copy");
        foreach (string file in Directory.EnumerateFiles(ReferenceSample, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(ReferenceSample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    internal static void AssertSameTree(string expected, string actual)
    {
        var expectedFiles = Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order().ToList();
        var actualFiles = Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order().ToList();
        actualFiles.Should().Equal(expectedFiles);
        foreach (string file in expectedFiles)
        {
            File.ReadAllBytes(Path.Combine(actual, file)).Should().Equal(File.ReadAllBytes(Path.Combine(expected, file)), file);
        }
    }
}
