using System.Text;
using CsCheck;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Cli;

namespace Misalignment.Eval.Tests.Configuration;

/// <summary>
/// Mutated configurations (YAML and JSON): loading either succeeds or fails with the library's own error, and the
/// command line answers 0, or 2 with one error line, never a .NET exception or exit 1.
/// </summary>
public sealed class ConfigFuzzTests : IDisposable
{
    private static readonly string[] YamlSeeds =
    [
        .. new[] { "multi-model-study.yaml", "alignment-faking.yaml", "simple-example.yaml", "one-expansion-study.yaml" }
            .Select(f => File.ReadAllText(Path.Combine(TestPaths.Data, "configs", f))),
        "a: &a {b: [1, 2]}\nc: *a\nd:\n  <<: *a\n",
    ];

    private static readonly string[] JsonSeeds =
    [
        """
        {"experiment_id": "j", "global": {"models": ["demo:benign"], "samples_per_condition": 2, "seed": 7,
          "concurrency": {"providers": {"openai": 3}, "models": null},
          "rate_limits": {"pools": {"p": {"rpm": 5, "models": ["gpt-*"]}}, "model_overrides": {}}},
         "expansions": [{"name": "e", "models": ["demo:harmful"], "variables": {"scenarios": ["murder"], "goal_types": ["none"], "goal_values": ["none"], "urgency_types": ["none"]}}],
         "execution": {"retries": 3, "timeout_seconds": 60}}
        """,
    ];

    private static readonly string[] YamlPieces =
    [
        "[", "]", "{", "}", ": ", ":", "- ", "-", "|", "|\n      \n", "|-\n", ">", "&a ", "*a", "*b", "<<: *a\n", "!!str ", "!!int ", "!x ", "~", "null",
        "\"", "'", "#", "\n", "\n  ", "\t", "---\n", "...\n", "%YAML 1.1\n", "? ", ",", "99999999999999999999", "-1", "0", "1e400", ".nan", "yes",
        "\u0000", "\u0085", "\uFFFD", "\ud800", "\u2028", "@", "`", "\\", "\r", " ", "expansions:\n  - ", "models: [", "variables: {scenarios: [", "seed: 9223372036854775807\n",
        "retries: 2147483647\n", "enabled: false\n", "goal_values: [none]\n", "scenarios: [Murder]\n", new string('[', 80), new string('{', 80), "x: " + new string('y', 200) + "\n",
    ];

    private static readonly string[] JsonPieces =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\ud800", "\\u00", "null", "true", "1e999", "-", "01", "/*", "*/", "//", "\n", " ", "\u0000", "\uFFFD",
        "\"experiment_id\": 1,", "\"global\": {\"models\": [4]},", "\"expansions\": [],", "\"k\": \"v\", \"k\": \"w\",", new string('[', 80), "}garbage",
    ];

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    private static Gen<string> Mutated(string[] seeds, string[] pieces) =>
        from seed in Gen.Int[0, seeds.Length - 1]
        from edits in Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Int[0, pieces.Length - 1], Gen.Int[1, 40]).Array[1, 8]
        select Apply(seeds[seed], edits, pieces);

    private static string Apply(string text, (int Kind, double At, int Piece, int Length)[] edits, string[] pieces)
    {
        var result = new StringBuilder(text);
        foreach (var (kind, at, piece, length) in edits)
        {
            int index = (int)(at * result.Length);
            switch (kind)
            {
                case 0:
                    result.Insert(index, pieces[piece]);
                    break;
                case 1:
                    result.Remove(index, Math.Min(length, result.Length - index));
                    break;
                case 2:
                    result.Insert(index, result.ToString(index, Math.Min(length, result.Length - index)));
                    break;
                default:
                    if (index < result.Length)
                    {
                        result[index] = pieces[piece][0];
                    }

                    break;
            }
        }

        return result.ToString();
    }

    private static bool LoadsOrFailsCleanly(Func<ExperimentSpec> load, string input)
    {
        try
        {
            load();
        }
        catch (MisalignmentEvalException ex)
        {
            ex.Message.Should().NotBeNullOrWhiteSpace();

            // A .NET type name in a message is a leak of the implementation, unless the input itself held that text
            // and the message quotes it (a random mutation once wrote ".YAML 1.`1").
            foreach (string leak in new[] { "System.", "`1" }.Where(l => !input.Contains(l, StringComparison.Ordinal)))
            {
                ex.Message.Should().NotContain(leak);
            }
        }

        return true;
    }

    [Fact]
    public void FromYaml_MutatedConfigs_LoadOrFailWithTheLibrarysError()
    {
        Mutated(YamlSeeds, YamlPieces).Sample(text => LoadsOrFailsCleanly(() => ExperimentSpecLoader.FromYaml(text, "fuzz.yaml"), text), iter: 3000);
    }

    [Fact]
    public void FromJson_MutatedConfigs_LoadOrFailWithTheLibrarysError()
    {
        Mutated(JsonSeeds, JsonPieces).Sample(text => LoadsOrFailsCleanly(() => ExperimentSpecLoader.FromJson(text, "fuzz.json"), text), iter: 3000);
    }

    [Fact]
    public void Load_RandomBytes_LoadOrFailWithTheLibrarysError()
    {
        string folder = _temp.Path;
        Gen.Byte.Array[0, 200].Select(Gen.Bool).Sample((bytes, json) =>
        {
            string path = Path.Combine(folder, $"{Guid.NewGuid():N}.{(json ? "json" : "yaml")}");
            File.WriteAllBytes(path, bytes);
            return LoadsOrFailsCleanly(() => ExperimentSpecLoader.Load(path), System.Text.Encoding.Latin1.GetString(bytes));
        }, iter: 500);
    }

    [Fact]
    public async Task Cli_MutatedConfigs_Exit0Or2WithOneErrorLine()
    {
        var samples = Gen.Select(Gen.Bool, Mutated(YamlSeeds, YamlPieces), Mutated(JsonSeeds, JsonPieces)).Array[150].Single();
        foreach (var (json, yaml, jsonText) in samples)
        {
            string path = Path.Combine(_temp.Path, $"{Guid.NewGuid():N}.{(json ? "json" : "yaml")}");
            await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(json ? jsonText : yaml));

            var result = await CliRunner.RunAsync("conditions", "--config", path);

            var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("misalign: warning: ", StringComparison.Ordinal)).ToList();
            if (result.ExitCode == 0)
            {
                errors.Should().BeEmpty();
            }
            else
            {
                result.ExitCode.Should().Be(2, $"{path} gave: {result.Error}");
                errors.Should().ContainSingle().Which.Should().StartWith("misalign: error: ");
                if (!(json ? jsonText : yaml).Contains("System.", StringComparison.Ordinal))
                {
                    errors[0].Should().NotContain("System.");
                }
            }
        }
    }
}
