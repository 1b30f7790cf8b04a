using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Tests.Scenarios;

/// <summary>Issue 13, findings 5, 6 and 8: packs built to exhaust the renderer or to read files outside themselves.</summary>
public sealed class HostilePackTests : IDisposable
{
    private static readonly Condition Control = Condition.Parse("mini_none-none_none");
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();
    private readonly TestPaths.TempDirectory _outside = TestPaths.NewTempDirectory();

    public HostilePackTests() => TestPaths.CopyMiniPack(_temp.Path);

    public void Dispose()
    {
        _temp.Dispose();
        _outside.Dispose();
    }

    private string PathOf(string relative) => Path.Combine(_temp.Path, relative);

    private void IncludeFromControl(string part) =>
        File.AppendAllText(PathOf("emails/none-none.txt"), $"\n${{include:{part}}}\n");

    [Theory(Timeout = 60_000)]
    [InlineData(24, 2_000, "the rendered text passes 1000000 characters")]
    [InlineData(30, 0, "more than 10000 includes in one render")]
    public async Task Render_PartsThatEachIncludeTheNextTwice_StopAtTheBoundInsteadOfGrowingExponentially(int levels, int leafLength, string problem)
    {
        for (int i = 0; i < levels; i++)
        {
            File.WriteAllText(PathOf($"emails/parts/l{i}.txt"), $"${{include:parts/l{i + 1}.txt}}${{include:parts/l{i + 1}.txt}}");
        }

        File.WriteAllText(PathOf($"emails/parts/l{levels}.txt"), new string('x', leafLength));
        IncludeFromControl("parts/l0.txt");
        var pack = ScenarioPack.LoadFromDirectory(_temp.Path);

        var act = () => pack.Render(Control, RenderOptions.Default);

        (await Task.Run(() => act.Should().Throw<ScenarioPackException>())).Which.Message.Should().Contain(problem).And.Contain("(rendering mini_none-none_none)").And.NotContain("\n");
        (await Task.Run(pack.Validate)).Errors.Should().Contain(e => e.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_IncludeChainDeeperThanTheLimit_IsAOneLineErrorNotAStackOverflow()
    {
        const int levels = 200; // the attack used 20,000; the bound stops any depth at 32
        for (int i = 0; i < levels; i++)
        {
            File.WriteAllText(PathOf($"emails/parts/d{i}.txt"), $"${{include:parts/d{i + 1}.txt}}");
        }

        File.WriteAllText(PathOf($"emails/parts/d{levels}.txt"), "end");
        IncludeFromControl("parts/d0.txt");
        var pack = ScenarioPack.LoadFromDirectory(_temp.Path);

        var act = () => pack.Render(Control, RenderOptions.Default);

        act.Should().Throw<ScenarioPackException>()
            .WithMessage($"{PathOf("emails/parts/d31.txt")}:1: includes nest deeper than 32 levels (rendering mini_none-none_none) (this include starts from {PathOf("emails/none-none.txt")}).");
    }

    [Fact]
    public void Render_IncludeThatIsASymlinkToAFileOutsideThePack_IsRefused()
    {
        string secret = Path.Combine(_outside.Path, "passwd");
        File.WriteAllText(secret, "root:x:0:0:root:/root:/bin/bash");
        File.CreateSymbolicLink(PathOf("emails/parts/evil.txt"), secret);
        IncludeFromControl("parts/evil.txt");
        var pack = ScenarioPack.LoadFromDirectory(_temp.Path);

        var act = () => pack.Render(Control, RenderOptions.Default);

        act.Should().Throw<ScenarioPackException>().WithMessage($"{PathOf("emails/parts/evil.txt")}: resolves outside the pack folder*")
            .Which.Message.Should().NotContain("root:x");
    }

    [Fact]
    public void Render_IncludeThroughASymlinkedFolder_IsRefused()
    {
        File.WriteAllText(Path.Combine(_outside.Path, "passwd"), "root:x:0:0");
        Directory.CreateSymbolicLink(PathOf("emails/etc"), _outside.Path);
        IncludeFromControl("etc/passwd");
        var pack = ScenarioPack.LoadFromDirectory(_temp.Path);

        var act = () => pack.Render(Control, RenderOptions.Default);

        act.Should().Throw<ScenarioPackException>().WithMessage("*resolves outside the pack folder*");
    }

    [Fact]
    public void Render_RelativeSymlinkThatClimbsOutOfThePack_IsRefused()
    {
        File.WriteAllText(Path.Combine(_outside.Path, "leak.txt"), "outside");
        string relative = Path.GetRelativePath(PathOf("emails/parts"), Path.Combine(_outside.Path, "leak.txt"));
        File.CreateSymbolicLink(PathOf("emails/parts/up.txt"), relative);
        IncludeFromControl("parts/up.txt");
        var pack = ScenarioPack.LoadFromDirectory(_temp.Path);

        var act = () => pack.Render(Control, RenderOptions.Default);

        act.Should().Throw<ScenarioPackException>().WithMessage("*resolves outside the pack folder*");
    }

    [Fact]
    public void Load_VariableFileThatIsASymlinkOutsideThePack_IsRefused()
    {
        string outside = Path.Combine(_outside.Path, "common.json");
        File.Copy(PathOf("variables/common.json"), outside);
        File.Delete(PathOf("variables/common.json"));
        File.CreateSymbolicLink(PathOf("variables/common.json"), outside);

        var act = () => ScenarioPack.LoadFromDirectory(_temp.Path);

        act.Should().Throw<ScenarioPackException>().WithMessage($"{PathOf("variables/common.json")}: resolves outside the pack folder*");
    }

    [Fact]
    public void Render_SymlinkToAnotherFileOfThePack_IsAllowed()
    {
        File.WriteAllText(PathOf("emails/parts/plain.txt"), "P.S. The pumps are fine.");
        File.CreateSymbolicLink(PathOf("emails/parts/alias.txt"), "plain.txt");
        IncludeFromControl("parts/alias.txt");

        var prompt = ScenarioPack.LoadFromDirectory(_temp.Path).Render(Control, RenderOptions.Default);

        prompt.EmailContent.Should().EndWith("P.S. The pumps are fine.");
    }
}
