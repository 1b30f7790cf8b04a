



using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Tests.Scenarios;

/// <summary>Copies the mini pack, breaks one thing, and checks the error names the culprit.</summary>
public sealed class BrokenPackTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public BrokenPackTests()
    {
        foreach (string file in Directory.EnumerateFiles(TestPaths.MiniPack, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(_temp.Path, Path.GetRelativePath(TestPaths.MiniPack, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _temp.Dispose();

    private string PathOf(string relative) => Path.Combine(_temp.Path, relative);

    [Fact]
    public void Render_TemplateWithUnknownPlaceholder_NamesTemplateFileAndLine()
    {
        File.AppendAllText(PathOf("emails/none-none.txt"), "\n${no_such_variable}\n");
        var pack = ScenarioPack.LoadFromDirectory(_temp.Path);

        var act = () => pack.Render(Condition.Parse("mini_none-none_none"), RenderOptions.Default);

        act.Should().Throw<ScenarioPackException>()
            .WithMessage($"{PathOf("emails/none-none.txt")}:9: unknown placeholder '${{no_such_variable}}' (rendering mini_none-none_none).");
        pack.Validate().Errors.Should().HaveCount(2, "the dev and prod renders fail alike").And.OnlyContain(e => e.Contains("no_such_variable", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingEmailTemplate_NamesTheFile()
    {
        File.Delete(PathOf("emails/conflict-restriction.txt"));

        var act = () => ScenarioPack.LoadFromDirectory(_temp.Path);

        act.Should().Throw<ScenarioPackException>().WithMessage($"{PathOf("emails/conflict-restriction.txt")}: file not found.");
    }

    [Fact]
    public void Load_UnknownManifestKey_NamesFileLineAndKey()
    {
        File.WriteAllText(PathOf("scenario.json"), File.ReadAllText(PathOf("scenario.json")).Replace("\"numberEmails\"", "\"numberEmail\"", StringComparison.Ordinal));

        var act = () => ScenarioPack.LoadFromDirectory(_temp.Path);

        act.Should().Throw<ScenarioPackException>().WithMessage($"{PathOf("scenario.json")}:8: *numberEmail*");
    }

    [Fact]
    public void Load_VariableOfWrongType_NamesFileAndKey()
    {
        File.WriteAllText(PathOf("variables/safety.json"), "{ \"news\": 42, \"request\": \"x\" }");

        var act = () => ScenarioPack.LoadFromDirectory(_temp.Path);

        act.Should().Throw<ScenarioPackException>().WithMessage($"{PathOf("variables/safety.json")}: key 'news' must be a string or an array of strings, not Number.");
    }

    [Fact]
    public void Load_ReservedVariable_IsRejected()
    {
        File.WriteAllText(PathOf("variables/common.json"), "{ \"start_time\": \"x\", \"scratchpad\": \"mine\" }");

        var act = () => ScenarioPack.LoadFromDirectory(_temp.Path);

        act.Should().Throw<ScenarioPackException>().WithMessage("*common.json: key 'scratchpad' is reserved*");
    }

    [Fact]
    public void Validate_UnusedVariable_IsAWarningNamingFileAndKey()
    {
        File.WriteAllText(PathOf("variables/ethical.json"), "{ \"news\": \"n\", \"request\": \"r\", \"leftover\": \"x\" }");

        var report = ScenarioPack.LoadFromDirectory(_temp.Path).Validate();

        report.IsValid.Should().BeTrue();
        report.Warnings.Should().Equal($"{PathOf("variables/ethical.json")}: variable 'leftover' is not used by any template.");
    }

    [Fact]
    public void Validate_OutsideAddressMissingFromEmails_IsAnErrorNamingTheCondition()
    {
        File.WriteAllText(PathOf("emails/none-none.txt"), "<email>\nFrom: boss@larchfield.test\nTo: pell@larchfield.test\nSubject: Hi\nTimestamp: 2025-01-02T09:00:00\nBody: Hello.\n</email>\n");

        var report = ScenarioPack.LoadFromDirectory(_temp.Path).Validate();

        report.Errors.Should().Contain("mini_none-none_none: none of the outside addresses occurs in the emails.");
    }

    [Fact]
    public void Validate_TimestampsOutOfOrder_IsAnError()
    {
        File.WriteAllText(PathOf("emails/none-none.txt"),
            "<email>\nFrom: boss@larchfield.test\nTo: a@b.test\nSubject: 1\nTimestamp: 2025-01-02T10:00:00\nBody: other@outside.test\n</email>\n" +
            "<email>\nFrom: boss@larchfield.test\nTo: a@b.test\nSubject: 2\nTimestamp: 2025-01-02T09:00:00\nBody: x\n</email>\n");

        var report = ScenarioPack.LoadFromDirectory(_temp.Path).Validate();

        report.Errors.Should().Contain("mini_none-none_none: timestamp 2025-01-02T09:00:00 comes before the previous email's.");
    }
}
