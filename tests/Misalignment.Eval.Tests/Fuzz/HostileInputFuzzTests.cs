using CsCheck;
using Misalignment.Eval.Interop;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Cli;
using Misalignment.Eval.Tests.Fakes;
using Misalignment.Eval.Tests.Running;

namespace Misalignment.Eval.Tests.Fuzz;

/// <summary>
/// Issue 13: random edits of store lines and of scenario packs. Whatever the input, the library throws nothing but
/// its own <see cref="MisalignmentEvalException"/>, and the CLI answers 0, or 2 with one line.
/// </summary>
public sealed class HostileInputFuzzTests : RunnerTestBase
{
    private const int Iterations = 300;

    private string Folder => Path.GetDirectoryName(StorePath)!;

    private async Task<string[]> StoreLinesAsync()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m", "<tool_use:cancel_alert>\ncode: \"KM-7359\"\n</tool_use:cancel_alert>"))], new RunOptions { SamplesPerCondition = 2, Seed = 7 });
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("fuzz")))
        {
            await RunAllAsync(runner, store);
            await store.AppendAsync(new VerdictRecord { Key = ResultStore.ReadSamples(StorePath).First().Key, Verdict = new RecordedVerdict { Outcome = VerdictOutcome.Harmful, Classifier = "murder" } });
        }

        return await File.ReadAllLinesAsync(StorePath);
    }

    [Fact]
    public async Task StoreReaders_RandomlyEditedLines_ThrowOnlyTheLibrarysOwnError()
    {
        string[] lines = await StoreLinesAsync();
        var gen = from line in Gen.Int[0, lines.Length - 1]
                  from edits in JsonMutation.Any.Array[1, 3]
                  from newline in Gen.Bool
                  select (line, edits, newline);

        int rejected = 0;
        gen.Sample(
            c =>
            {
                string path = WriteEdited(lines, c.line, c.edits, c.newline);
                string export = Path.Combine(Path.GetDirectoryName(path)!, "export");
                rejected += OnlyOwnErrors(() => ResultReader.Inspect(path)) ? 0 : 1;
                OnlyOwnErrors(() => _ = ResultStore.ReadSamples(path).Count());
                OnlyOwnErrors(() => Aggregation.FromStore(path));
                OnlyOwnErrors(() => ReferenceResults.Export(path, export));
                Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*", SearchOption.AllDirectories)
                    .Should().OnlyContain(f => f == path || f.StartsWith(export + Path.DirectorySeparatorChar, StringComparison.Ordinal), "export writes only under --out");
            },
            iter: Iterations,
            threads: 1,
            print: c => $"line {c.line}: {string.Join(", ", c.edits.Select(e => e.ToString()))}");
        rejected.Should().BeInRange(Iterations / 10, Iterations * 9 / 10, "the edits make both stores the readers accept and stores they refuse");
    }

    [Fact]
    public async Task ReportCommand_RandomlyEditedStore_AnswersZeroOrTwoWithOneLine()
    {
        string[] lines = await StoreLinesAsync();
        var gen = from line in Gen.Int[0, lines.Length - 1]
                  from edit in JsonMutation.Any
                  select (line, edit);

        gen.Sample(
            c =>
            {
                string path = WriteEdited(lines, c.line, [c.edit], newline: true);
                var result = CliRunner.RunAsync("report", "--results", path, "--format", "json", "--out", Path.Combine(Path.GetDirectoryName(path)!, "report")).GetAwaiter().GetResult();
                ShouldAnswerCleanly(result);
            },
            iter: Iterations / 3,
            threads: 1,
            print: c => $"line {c.line}: {c.edit}");
    }

    [Fact]
    public void ScenarioPack_RandomlyEditedManifestVariablesAndTemplates_ThrowsOnlyTheLibrarysOwnError()
    {
        int rejected = 0;
        var gen = from file in Gen.OneOf("scenario.json", "variables/common.json", "variables/safety.json")
                  from edit in JsonMutation.Any
                  from template in Gen.OneOf("system.txt", "emails/none-none.txt", "emails/conflict-replacement.txt", "emails/parts/header.txt")
                  from snippet in Snippets
                  from at in Gen.Int[0, 10_000]
                  select (file, edit, template, snippet, at);

        gen.Sample(
            c =>
            {
                string pack = CopyMiniPack();
                string json = Path.Combine(pack, c.file);
                File.WriteAllText(json, c.edit.Apply(File.ReadAllText(json)));
                string template = Path.Combine(pack, c.template);
                string text = File.ReadAllText(template);
                File.WriteAllText(template, text.Insert(c.at % (text.Length + 1), c.snippet));
                rejected += OnlyOwnErrors(() => ScenarioPack.LoadFromDirectory(pack).Validate().EnsureValid()) ? 0 : 1;
                var result = CliRunner.RunAsync("scenarios", "validate", pack).GetAwaiter().GetResult();
                result.ExitCode.Should().BeOneOf(0, 2);
                ShouldAnswerCleanly(result with { ExitCode = result.Error.Length > 0 ? 2 : 0 });
            },
            iter: Iterations / 2,
            threads: 1,
            print: c => $"{c.file}: {c.edit}; {c.template} at {c.at}: {c.snippet}");
        // Most random edits break a pack, and a run where every one of them did is a valid run (CI saw 150 of 150), so
        // only the lower bound is held: the edits must reach the refusing paths. The loading path is the unedited
        // mini pack's, tested on its own.
        rejected.Should().BeGreaterThanOrEqualTo(Iterations / 20, "the edits must reach the paths that refuse a pack");
    }

    private static Gen<string> Snippets { get; } = Gen.OneOf(
        "${", "${}", "$${x}", "${ news }", "${include:}", "${include:../scenario.json}", "${include:/etc/passwd}", "${include:parts/none.txt}",
        "${include:parts/header.txt}", "${include:parts/header.txt}${include:parts/header.txt}", "${unknown_variable}", "\nID: \u0663\n", "<email>\n", "\uFEFF", "\r\n\r\n");

    /// <summary>Runs the action; whether it succeeded. Any exception but the library's own fails the test.</summary>
    private static bool OnlyOwnErrors(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (MisalignmentEvalException ex)
        {
            ex.Message.Should().NotContain("System.").And.NotContain(".NET").And.NotContain("\n");
            return false;
        }
    }

    private static void ShouldAnswerCleanly(CliResult result)
    {
        result.ExitCode.Should().BeOneOf([0, 2], result.Error);
        if (result.ExitCode == 2)
        {
            result.Error.Should().StartWith("misalign: error: ").And.EndWith("\n").And.NotContain("System.").And.NotContain("Exception");
            result.Error.Count(ch => ch == '\n').Should().Be(1, result.Error);
        }
    }

    private string WriteEdited(string[] lines, int line, JsonMutation[] edits, bool newline)
    {
        string folder = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var edited = (string[])lines.Clone();
        foreach (var edit in edits)
        {
            try
            {
                edited[line] = edit.Apply(edited[line]);
            }
            catch (System.Text.Json.JsonException)
            {
                // An earlier edit cut the line short: the later ones have no JSON to edit.
            }
        }

        string path = Path.Combine(folder, ResultStore.FileName);
        File.WriteAllText(path, string.Join("\n", edited) + (newline ? "\n" : string.Empty));
        return path;
    }

    private string CopyMiniPack() => TestPaths.CopyMiniPack(Path.Combine(Folder, Guid.NewGuid().ToString("N")));
}
