



using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Templates;

namespace Misalignment.Eval.Tests.Templates;

public class TemplateTests
{
    private static string Render(string text, Dictionary<string, string>? variables = null, Dictionary<string, string>? files = null, HashSet<string>? used = null)
    {
        files ??= [];
        var context = new TemplateContext(
            variables ?? [],
            (path, from, line) => files.TryGetValue(path, out string? body)
                ? Template.Parse(body, path)
                : throw new TemplateException(from, line, $"included file '{path}' not found."))
        { Used = used };
        return Template.Parse(text, "main.txt").Render(context);
    }

    [Fact]
    public void Render_Placeholders_AreReplacedAndRecordedAsUsed()
    {
        var used = new HashSet<string>();

        Render("Hello ${name}, from ${team.lead}.", new() { ["name"] = "Ada", ["team.lead"] = "Bo", ["spare"] = "x" }, used: used)
            .Should().Be("Hello Ada, from Bo.");
        used.Should().BeEquivalentTo(["name", "team.lead"]);
    }

    [Theory]
    [InlineData("Costs $5M.", "Costs $5M.")]
    [InlineData("A $$ sign.", "A $ sign.")]
    [InlineData("Literal $${name}.", "Literal ${name}.")]
    [InlineData("Ends with $", "Ends with $")]
    [InlineData("$$$${x}", "$${x}")]
    public void Render_DollarSigns_FollowTheEscapingRules(string text, string expected)
    {
        Render(text).Should().Be(expected);
    }

    [Fact]
    public void Render_UnknownPlaceholder_NamesFileLineAndPlaceholder()
    {
        var act = () => Render("line one\nline two ${missing} here", new() { ["other"] = "x" });

        act.Should().Throw<TemplateException>()
            .WithMessage("main.txt:2: unknown placeholder '${missing}'*")
            .Which.Line.Should().Be(2);
    }

    [Theory]
    [InlineData("a\n${unclosed", "main.txt:2: '${' is not closed*")]
    [InlineData("${bad name}", "main.txt:1: '${bad name}' is not a valid placeholder*")]
    [InlineData("${1st}", "main.txt:1: '${1st}' is not a valid placeholder*")]
    [InlineData("${include:../secret.txt}", "main.txt:1: include path '../secret.txt' must be a relative path inside the pack*")]
    public void Parse_Malformed_NamesFileAndLine(string text, string expected)
    {
        var act = () => Template.Parse(text, "main.txt");

        act.Should().Throw<TemplateException>().WithMessage(expected);
    }

    [Fact]
    public void Render_Include_RendersTheIncludedFileWithTheSameVariables()
    {
        var files = new Dictionary<string, string> { ["parts/a.txt"] = "[${x}]" };

        Render("before ${include:parts/a.txt} after", new() { ["x"] = "X" }, files).Should().Be("before [X] after");
    }

    [Fact]
    public void Render_ErrorInsideInclude_NamesTheIncludedFileAndItsLine()
    {
        var files = new Dictionary<string, string> { ["parts/a.txt"] = "one\ntwo ${nope}" };

        var act = () => Render("${include:parts/a.txt}", [], files);

        act.Should().Throw<TemplateException>().WithMessage("parts/a.txt:2: unknown placeholder '${nope}'*");
    }

    [Fact]
    public void Render_IncludeCycle_IsAnError()
    {
        var files = new Dictionary<string, string> { ["a.txt"] = "${include:b.txt}", ["b.txt"] = "${include:a.txt}" };

        var act = () => Render("${include:a.txt}", [], files);

        act.Should().Throw<TemplateException>().WithMessage("*include cycle*a.txt*b.txt*");
    }

    [Fact]
    public void Parse_WindowsLineEndings_AreNormalised()
    {
        Render("a\r\nb ${x}\r\n", new() { ["x"] = "1" }).Should().Be("a\nb 1\n");
    }
}
