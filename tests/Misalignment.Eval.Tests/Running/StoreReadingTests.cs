using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>Issue 13, findings 11 and 12: a store line that is not what the writer writes is an error naming the file, line and key.</summary>
public sealed class StoreReadingTests : RunnerTestBase
{
    private async Task<List<string>> StoreLinesAsync()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions { SamplesPerCondition = 1 });
        await using (var store = ResultStore.Create(StorePath, runner.CreateManifest("exp")))
        {
            await RunAllAsync(runner, store);
        }

        return [.. await File.ReadAllLinesAsync(StorePath)];
    }

    /// <summary>Edits the manifest (index 0) or the first sample line that <paramref name="holding"/> occurs in.</summary>
    private async Task<string> WithLineAsync(int index, Func<string, string> edit, string? holding = null) => (await EditLineAsync(index, edit, holding)).Path;

    private async Task<(string Path, int Line)> EditLineAsync(int index, Func<string, string> edit, string? holding)
    {
        var lines = await StoreLinesAsync();
        if (index > 0 && holding is not null)
        {
            index = lines.FindIndex(1, l => l.Contains(holding, StringComparison.Ordinal));
        }

        lines[index] = edit(lines[index]);
        await File.WriteAllTextAsync(StorePath, string.Join("\n", lines) + "\n");
        return (StorePath, index + 1);
    }

    public static TheoryData<int, string, string, string> BadLines() => new()
    {
        { 0, "\"formatVersion\":1", "\"formatVersion\":7", ":1: format version 7 is not one this library reads (it reads version 1)*" },
        { 0, "\"models\":[\"fake:m\"]", "\"models\":null", ":1: not a valid store record: key 'models': expected a value, not null." },
        { 1, "\"type\":\"sample\"", "\"type\":5", ":2: not a valid store record: unknown record type 5; expected manifest, sample, verdict or batch." },
        { 1, "\"key\":\"fake:m|", "\"key\":null,\"x\":\"", ":2: not a valid store record: key 'key': expected a value, not null." },
        { 1, "\"sampleIndex\":1", "\"sampleIndex\":-1", ":2: key 'sampleIndex' is -1; sample indexes start at 1." },
        { 1, "\"sampleIndex\":1", "\"sampleIndex\":\"one\"", ":2: not a valid store record: key 'sampleIndex': expected a whole number." },
        { 1, "\"attempts\":1", "\"attempts\":1,\"seed\":\"two\"", ":2: not a valid store record: key 'seed': expected a whole number." },
        { 1, "\"status\":\"ok\"", "\"status\":3", ":2: not a valid store record: key 'status': expected one of ok, error." },
        { 1, "\"outcome\":\"not_harmful\"", "\"outcome\":\"maybe\"", ":2: key 'verdict.outcome' is 'maybe'; expected one of harmful, not_harmful, unscorable, error, classified." },
        { 1, "\"policy\":\"default\"", "\"policy\":\"strict\"", ":2: key 'verdict.policy' is 'strict'; expected one of default, reference." },
        { 0, "\"policy\":\"default\"", "\"policy\":\"strict\"", ":1: key 'policy' is 'strict'; expected one of default, reference." },
        { 1, "\"toolMode\":\"text\"", "\"toolMode\":\"braille\"", ":2: key 'toolMode' is 'braille'; expected one of text, native." },
        { 1, "\"variant\":\"dev\"", "\"variant\":\"beta\"", ":2: key 'variant' is 'beta'; expected one of dev, prod." },
        { 1, "\"status\":\"ok\"", "\"status\":\"fine\"", ":2: key 'status' is 'fine'; expected one of ok, error." },
        { 1, "\"goalType\":\"explicit\"", "\"goalType\":\"explicitt\"", ":2: key 'goalType' is not a name of this grid, but the condition id 'murder_explicit-safety_replacement' says 'explicit'." },
        { 1, "\"urgency\":\"replacement\"", "\"urgency\":\"restriction\"", ":2: key 'urgency' is 'restriction', but the condition id 'murder_explicit-safety_replacement' says 'replacement'." },
        { 1, "\"goalValue\":\"safety\"", "\"goalValue\":null", ":2: not a valid store record: key 'goalValue': expected one of none, america, global, safety, acceleration, ethical, pragmatic, individualism, collectivism." },
        { 1, "\"conditionId\":\"murder_explicit-safety_replacement\"", "\"conditionId\":\"blackmail_explicit-safety_replacement\"", ":2: key 'key' is 'fake:m|murder_explicit-safety_replacement|1', but its model, conditionId and sampleIndex make 'fake:m|blackmail_explicit-safety_replacement|1'." },
        { 1, "\"actions\":[]", "\"actions\":[null]", ":2: key 'actions' holds a null item." },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task ReadSamples_LineThatTheWriterNeverWrites_IsAnErrorNamingFileLineAndKey(int index, string find, string replace, string expected)
    {
        var (path, line) = await EditLineAsync(index, text => text.Contains(find, StringComparison.Ordinal) ? text.Replace(find, replace, StringComparison.Ordinal) : throw new InvalidOperationException($"'{find}' is not in {text}"), find);

        var act = () => ResultReader.ReadSamples(path).ToList();

        var error = act.Should().Throw<MisalignmentEvalException>().Which;
        error.Message.Should().Match(path + expected.Replace(":2:", $":{line}:", StringComparison.Ordinal)).And.NotContain("System.").And.NotContain(".NET");
    }

    [Fact]
    public async Task Report_StoreWithUnknownActionKind_ExitsWith2InOneLineNamingTheFileLineAndKey()
    {
        string path = Path.Combine(Path.GetDirectoryName(StorePath)!, "old", ResultStore.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var lines = await File.ReadAllLinesAsync(Path.Combine(TestPaths.Data, "stores", "written-by-0.1.0.jsonl"));
        int line = Array.FindIndex(lines, l => l.Contains("\"kind\":\"email\"", StringComparison.Ordinal));
        lines[line] = lines[line].Replace("\"kind\":\"email\"", "\"kind\":\"sms\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(path, lines);

        var result = await Cli.CliRunner.RunAsync("report", "--results", path, "--out", Path.Combine(Path.GetDirectoryName(path)!, "report"));

        result.ExitCode.Should().Be(2);
        result.Error.Should().Be($"misalign: error: {path}:{line + 1}: key 'actions[0].kind' is 'sms'; expected one of email, forward, cancel_alert.\n");
    }

    [Fact]
    public async Task Report_StoreWithUnknownFormatVersion_ExitsWith2NamingTheFileAndLine()
    {
        string path = await WithLineAsync(0, line => line.Replace("\"formatVersion\":1", "\"formatVersion\":2", StringComparison.Ordinal));

        var result = await Cli.CliRunner.RunAsync("report", "--results", path, "--out", Path.Combine(Path.GetDirectoryName(path)!, "report"));

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith($"misalign: error: {path}:1: format version 2 is not one this library reads").And.EndWith("\n").And.Subject.Count(c => c == '\n').Should().Be(1);
    }

    [Fact]
    public async Task Classify_StoreWithUnknownVerdictOutcome_ExitsWith2InsteadOfCountingItUnscorable()
    {
        var (path, line) = await EditLineAsync(1, text => text.Replace("\"outcome\":\"not_harmful\"", "\"outcome\":\"Harmful\"", StringComparison.Ordinal), "\"outcome\":\"not_harmful\"");

        var result = await Cli.CliRunner.RunAsync("classify", "--results", path);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain($"{path}:{line}: key 'verdict.outcome' is 'Harmful'");
    }
}
