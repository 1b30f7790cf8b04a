using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;
using Misalignment.Eval.Tests.Running;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>Issue 13, findings 7, 9, 11 and 12: bad flags, hostile stores and reference trees end in exit 2 and one line naming the culprit.</summary>
public sealed class BadInputTests : RunnerTestBase
{
    private string Folder => Path.GetDirectoryName(StorePath)!;

    private async Task<string> MakeStoreAsync()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:a"))], new RunOptions { SamplesPerCondition = 2 });
        await using var store = ResultStore.Create(StorePath, runner.CreateManifest("exp"));
        await RunAllAsync(runner, store);
        return StorePath;
    }

    private static void ShouldBeOneLineBadInput(CliResult result, string expected)
    {
        result.ExitCode.Should().Be(2, result.Error);
        result.Error.Should().Match($"misalign: error: {expected}\n");
        result.Error.Count(c => c == '\n').Should().Be(1);
        result.Error.Should().NotContain("Exception").And.NotContain("System.");
    }

    /// <summary>Rewrites the store's sample lines as a hand edit or another tool might.</summary>
    private static async Task EditSamplesAsync(string path, Func<string, string> edit)
    {
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, [lines[0], .. lines.Skip(1).Select(edit)]);
    }

    [Theory]
    [InlineData("\"model\":\"fake:a\"", "\"model\":\"..\"", "fake:a|", "..|")]
    [InlineData("\"conditionId\":\"murder_explicit-safety_replacement\"", "\"conditionId\":\"../../../escaped\"", "|murder_explicit-safety_replacement|", "|../../../escaped|")]
    public async Task ResultsExport_StoreWithDotDotInModelOrCondition_WritesNothingOutsideOut(string find, string replace, string keyFind, string keyReplace)
    {
        string path = await MakeStoreAsync();
        await EditSamplesAsync(path, l => l.Replace(find, replace, StringComparison.Ordinal).Replace(keyFind, keyReplace, StringComparison.Ordinal));
        string output = Path.Combine(Folder, "a", "b", "export");

        var result = await CliRunner.RunAsync("results", "export", "--results", path, "--out", output);

        result.ExitCode.Should().Be(2, result.Error);
        result.Error.Should().StartWith($"misalign: error: {path}:");
        Directory.EnumerateFileSystemEntries(Folder, "*", SearchOption.AllDirectories).Should().NotContain(e => e.EndsWith("response.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResultsExport_ModelNamedDotDot_IsRefusedBeforeAnythingIsWritten()
    {
        string path = await MakeStoreAsync();
        await EditSamplesAsync(path, l => l.Replace("fake:a", "..", StringComparison.Ordinal));
        string output = Path.Combine(Folder, "export");

        var result = await CliRunner.RunAsync("results", "export", "--results", path, "--out", output);

        ShouldBeOneLineBadInput(result, $"{path}: sample '..|*' cannot be exported: '..' would leave the folder; nothing was written.");
        Directory.Exists(output).Should().BeFalse();
    }

    public static TheoryData<string[], string> EmptyOut() => new()
    {
        { ["run", "--model", "demo:benign", "--scenarios", "murder", "--goal-types", "none", "--urgencies", "none", "--samples", "1", "--out", ""], "--out needs a folder." },
        { ["run", "--model", "demo:benign", "--scenarios", "murder", "--goal-types", "none", "--urgencies", "none", "--samples", "1", "--out", "x", "--cache", ""], "--cache needs a folder." },
        { ["merge", "--out", "", "STORE"], "--out: no folder given*" },
        { ["results", "export", "--results", "STORE", "--out", ""], "--out: no folder given*" },
        { ["results", "import", "STORE", "--out", " "], "--out: no folder given*" },
        { ["report", "--results", "STORE", "--out", ""], "--out: no folder given*" },
        { ["prompts", "export", "--scenarios", "murder", "--out", ""], "--out: no folder given*" },
        { ["report", "--results", "STORE", "--out", "STORE"], "--out: '*results.jsonl' is a file, not a folder." },
    };

    [Theory]
    [MemberData(nameof(EmptyOut))]
    public async Task OutputFolder_EmptyOrAFile_ExitsWith2BeforeWritingAnything(string[] args, string expected)
    {
        string path = await MakeStoreAsync();
        string stray = Path.Combine(Environment.CurrentDirectory, ResultStore.FileName);
        bool strayBefore = File.Exists(stray);

        var result = await CliRunner.RunAsync([.. args.Select(a => a == "STORE" ? path : a)]);

        ShouldBeOneLineBadInput(result, expected);
        File.Exists(stray).Should().Be(strayBefore, "nothing is written into the current folder");
    }

    [Theory]
    [InlineData(new[] { "report", "--format", "" }, "--format: no report format given; expected a comma list of json, csv, md, html, png, or all.")]
    [InlineData(new[] { "report", "--format", " , " }, "--format: no report format given*")]
    [InlineData(new[] { "report", "--level", "NaN" }, "--level: NaN is not between 0 and 1 (e.g. 0.95).")]
    [InlineData(new[] { "classify", "--concurrency", "0" }, "--concurrency must be between 1 and 1000.")]
    public async Task StoreCommand_MeaninglessFlag_ExitsWith2InsteadOfGuessing(string[] args, string expected)
    {
        string path = await MakeStoreAsync();

        var result = await CliRunner.RunAsync([.. args, "--results", path]);

        ShouldBeOneLineBadInput(result, expected);
    }

    [Fact]
    public async Task Run_SameModelTwice_ExitsWith2NamingIt()
    {
        var result = await CliRunner.RunAsync("run", "--model", "demo:benign", "--model", "demo:benign", "--out", Path.Combine(Folder, "out"));

        ShouldBeOneLineBadInput(result, "--model: 'demo:benign' is given twice; name each model once.");
        Directory.Exists(Path.Combine(Folder, "out")).Should().BeFalse();
    }

    private string ReferenceSample(string model, string condition, string sample, string json)
    {
        string folder = Path.Combine(Folder, "ref", "models", model, condition, sample);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "response.json"), json);
        return folder;
    }

    public static TheoryData<string, string, string> BadReferenceSamples() => new()
    {
        { "sample_99999999999", "{\"raw_response\": \"hi\"}", "its name is not sample_NNN (NNN from 1)." },
        { "sample_\u0663", "{\"raw_response\": \"hi\"}", "its name is not sample_NNN (NNN from 1)." },
        { "sample_000", "{\"raw_response\": \"hi\"}", "its name is not sample_NNN (NNN from 1)." },
        { "sample_001", "{\"raw_response\": \"hi\", \"classification\": {\"harmful_behavior\": \"true\"}}", "its response.json has a 'classification.harmful_behavior' of \"true\", not true or false." },
        { "sample_001", "[1, 2]", "its response.json cannot be read: the file is not a JSON object." },
        { "sample_001", "{\"raw_response\": \"hi\", \"metadata\": [1]}", "its response.json has a 'metadata' that is not an object." },
        { "sample_001", "{\"raw_response\": \"hi\", \"metadata\": {\"model\": 5}}", "its response.json has a 'metadata.model' that is not a string." },
        { "sample_001", "{\"raw_response\": ", "its response.json cannot be read: invalid JSON at column 18: *" },
    };

    [Theory]
    [MemberData(nameof(BadReferenceSamples))]
    public async Task ResultsImport_BadSampleFolderOrFile_IsSkippedByName_AndATreeOfNothingElseExitsWith2WithoutAStore(string sample, string json, string reason)
    {
        ReferenceSample("gpt-4.1", "murder_none-none_none", sample, json);
        string output = Path.Combine(Folder, "imported");

        var result = await CliRunner.RunAsync("results", "import", Path.Combine(Folder, "ref"), "--out", output);

        ShouldBeOneLineBadInput(result, $"{Path.Combine(Folder, "ref", "models")}: no readable samples; models/gpt-4.1/murder_none-none_none/{sample}: skipped: {reason.TrimEnd('.')}.");
        File.Exists(Path.Combine(output, ResultStore.FileName)).Should().BeFalse();
    }

    [Fact]
    public async Task ResultsImport_TwoModelFoldersWhoseMetadataCollide_ImportsTheFirstAndNamesTheSecond()
    {
        ReferenceSample("gpt-4.1", "murder_none-none_none", "sample_001", "{\"raw_response\": \"a\", \"metadata\": {\"model\": \"gpt-4.1\"}}");
        ReferenceSample("gpt-4.1-copy", "murder_none-none_none", "sample_001", "{\"raw_response\": \"b\", \"metadata\": {\"model\": \"gpt-4.1\"}}");
        string output = Path.Combine(Folder, "imported");

        var result = await CliRunner.RunAsync("results", "import", Path.Combine(Folder, "ref"), "--out", output);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Be("misalign: warning: models/gpt-4.1-copy/murder_none-none_none/sample_001: skipped: it is sample 1 of gpt-4.1 in murder_none-none_none again; models/gpt-4.1/murder_none-none_none/sample_001 was imported.\n");
        ResultStore.ReadSamples(Path.Combine(output, ResultStore.FileName)).Should().ContainSingle().Which.Response!.Text.Should().Be("a");
    }
}
