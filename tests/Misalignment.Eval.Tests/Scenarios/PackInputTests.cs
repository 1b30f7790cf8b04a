using Misalignment.Eval.Interop;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Cli;

namespace Misalignment.Eval.Tests.Scenarios;

/// <summary>Issue 13, findings 11 and 12: pack and prompt-set input that used to be accepted without a word, or to end in a .NET exception.</summary>
public sealed class PackInputTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public PackInputTests() => TestPaths.CopyMiniPack(Path.Combine(_temp.Path, "pack"));

    public void Dispose() => _temp.Dispose();

    private string Pack => Path.Combine(_temp.Path, "pack");

    private string Manifest => Path.Combine(Pack, "scenario.json");

    private void EditManifest(string find, string replace)
    {
        string text = File.ReadAllText(Manifest);
        text.Should().Contain(find);
        File.WriteAllText(Manifest, text.Replace(find, replace, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"numberEmails\": true,", "\"numberEmails\": true, \"axes\": { \"goalTypes\": [] },", "key 'axes.goalTypes' lists nothing, so the pack has no condition to render*")]
    [InlineData("\"numberEmails\": true,", "\"numberEmails\": true, \"axes\": { \"urgencies\": [] },", "key 'axes.urgencies' lists nothing*")]
    [InlineData("\"numberEmails\": true,", "\"numberEmails\": true, \"axes\": { \"goalValues\": [\"none\"] },", "key 'axes.goalValues' lists nothing*")]
    [InlineData("[\"boss@larchfield.test\"]", "[null]", "key 'classification.targetAddresses' holds a null item; list strings only.")]
    [InlineData("[\"email\", \"forward\"]", "[\"email\", null]", "key 'actions' holds a null item; list strings only.")]
    [InlineData("\"numberEmails\": true", "\"numberEmails\": \"yes\"", "key 'numberEmails': expected true or false.")]
    [InlineData("\"numberEmails\": true", "\"numberEmail\": true", "unknown key 'numberEmail'.")]
    [InlineData("\"outsideAddresses\"", "\"confidentialEmailIds\": [null], \"outsideAddresses\"", "key 'classification.confidentialEmailIds[0]': expected a whole number.")]
    public void Load_ManifestThatNamesNothingOrHoldsNulls_IsAnErrorNamingTheKey(string find, string replace, string problem)
    {
        EditManifest(find, replace);

        var act = () => ScenarioPack.LoadFromDirectory(Pack);

        act.Should().Throw<ScenarioPackException>().Which.Problem.Should().Match(problem).And.NotContain(".NET").And.NotContain("System.");
    }

    [Fact]
    public async Task Validate_PackWithNoGoalTypes_ExitsWith2InsteadOfZeroRendersZeroErrors()
    {
        EditManifest("\"numberEmails\": true,", "\"numberEmails\": true, \"axes\": { \"goalTypes\": [] },");

        var result = await CliRunner.RunAsync("scenarios", "validate", Pack);

        result.ExitCode.Should().Be(2);
        result.Output.Should().NotContain("0 renders checked");
        result.Error.Should().Be($"misalign: error: {Manifest}: key 'axes.goalTypes' lists nothing, so the pack has no condition to render; list at least one, or leave the key out for all.\n");
    }

    [Fact]
    public async Task Run_PackThatValidateRejects_ExitsWith2BeforeCallingAnyModel()
    {
        File.WriteAllText(Path.Combine(Pack, "emails", "none-none.txt"), "<email>\nFrom: boss@larchfield.test\nTo: pell@larchfield.test\nSubject: Hi\nTimestamp: 2025-01-02T09:00:00\nBody: Hello.\n</email>\n");
        (await CliRunner.RunAsync("scenarios", "validate", Pack)).ExitCode.Should().Be(2, "validate rejects the pack");
        string output = Path.Combine(_temp.Path, "out");

        var result = await CliRunner.RunAsync("run", "--pack", Pack, "--scenarios", "mini", "--model", "demo:benign", "--samples", "1", "--out", output);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Match($"misalign: error: mini_*: none of the outside addresses occurs in the emails. (the scenario pack {Pack} has * error(s); 'misalign scenarios validate {Pack}' lists them)\n");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void Validate_IdLineWithNonAsciiDigits_IsAValidationErrorNotAFormatException()
    {
        File.AppendAllText(Path.Combine(Pack, "emails", "none-none.txt"), "<email>\nID: \u0663\nFrom: boss@larchfield.test\nTo: a@larchfield.test\nSubject: x\nTimestamp: 2025-01-02T09:40:00\nBody: y\n</email>\n");

        var report = ScenarioPack.LoadFromDirectory(Pack).Validate();

        report.Errors.Should().Contain(e => e.StartsWith("mini_none-none_none: email ID lines do not run 1..n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PromptSetFiles.SystemPrompt)]
    [InlineData(PromptSetFiles.UserPrompt)]
    [InlineData(PromptSetFiles.EmailContent)]
    public void Load_PromptSetWithAnEmptyText_NamesTheFile(string file)
    {
        string set = Path.Combine(_temp.Path, "set");
        PromptSetWriter.Write(set, [ScenarioCatalog.CreateBuiltIn().Render(Condition.Parse("murder_none-none_none"))]);
        string empty = Path.Combine(set, "murder_none-none_none", file);
        File.WriteAllText(empty, " \n");

        var act = () => PromptSet.Load(set);

        act.Should().Throw<PromptSetException>().WithMessage($"{empty}: is empty; every prompt file must hold its text.");
    }
}
