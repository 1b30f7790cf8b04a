using System.Text.RegularExpressions;

namespace Misalignment.Eval.Tests.Readme;

/// <summary>The READMEs shipped in the packages: nuget.org shows them away from the repository, so their links must be absolute.</summary>
public partial class PackageReadmeTests
{
    public static TheoryData<string> Packages => new() { "Misalignment.Eval", "Misalignment.Eval.Agents", "Misalignment.Eval.Cli", "Misalignment.Eval.Demo", "Misalignment.Eval.Testing" };

    [Theory]
    [MemberData(nameof(Packages))]
    public void PackageReadme_Links_AreAbsoluteAndNameExistingFiles(string package)
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "src", package, "README.md"));
        var links = Link().Matches(readme).Select(m => m.Groups[1].Value).ToList();

        links.Should().NotBeEmpty();
        links.Should().OnlyContain(l => l.StartsWith("https://", StringComparison.Ordinal));
        const string Blob = "https://github.com/misalignment-eval/misalignment-eval/blob/main/";
        foreach (string link in links.Where(l => l.StartsWith(Blob, StringComparison.Ordinal)))
        {
            File.Exists(Path.Combine(TestPaths.RepositoryRoot, link[Blob.Length..])).Should().BeTrue($"{link} should name a file of the repository");
        }
    }

    [GeneratedRegex(@"\]\(([^)]+)\)")]
    private static partial Regex Link();
}
