using System.Reflection;

namespace Misalignment.Eval.Tests.Api;

/// <summary>
/// The public API is declared in src/Misalignment.Eval/PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt, which
/// Microsoft.CodeAnalysis.PublicApiAnalyzers keeps true at every build (a change to the surface fails the build
/// until the files say it). These tests hold the surface to its size and check the files against the assembly.
/// </summary>
public class PublicApiTests
{
    private static readonly Assembly Library = typeof(IScenario).Assembly;

    private static string SourceFolder => Path.Combine(TestPaths.RepositoryRoot, "src", "Misalignment.Eval");

    [Fact]
    public void PublicApiFiles_DeclareExactlyTheAssemblysPublicTypes()
    {
        var declared = DeclaredTypes();

        declared.Should().BeEquivalentTo(Library.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')));
    }

    [Fact]
    public void PublicApi_IsSmall_AtMost85TypesInAtMost7Namespaces()
    {
        var declared = DeclaredTypes();
        var namespaces = Library.GetExportedTypes().Select(t => t.Namespace).Distinct().ToList();

        declared.Should().HaveCountLessThanOrEqualTo(85, "the surface is options, records, interfaces and a few entry points; helpers are internal");
        namespaces.Should().HaveCountLessThanOrEqualTo(7);
    }

    [Fact]
    public void PublicApi_EveryPublicTypeIsDocumented()
    {
        string xml = Path.ChangeExtension(Library.Location, ".xml");
        string docs = File.ReadAllText(xml);

        Library.GetExportedTypes()
            .Where(t => !docs.Contains($"\"T:{t.FullName}\"", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .Should().BeEmpty();
    }

    /// <summary>The type lines of the API files: a bare qualified name (members have a signature, a '->' or a modifier).</summary>
    private static List<string> DeclaredTypes() =>
        [.. new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(SourceFolder, f)))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains(' ', StringComparison.Ordinal) && !l.Contains('(', StringComparison.Ordinal))
            .Where(l => !l.EndsWith(".get", StringComparison.Ordinal) && !l.EndsWith(".set", StringComparison.Ordinal))];
}
