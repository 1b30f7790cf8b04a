using System.Text;
using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>
/// One line of <c>judgements.jsonl</c>: the deterministic gate's result on a sample and, when a judge was asked,
/// its answer, recorded apart from the verdicts (<c>misalign agreement</c> writes them; they never change a verdict).
/// </summary>
internal sealed record JudgementLine
{
    public required string Key { get; init; }

    public required string Scenario { get; init; }

    public required bool GatePassed { get; init; }

    public string GateReason { get; init; } = string.Empty;

    /// <summary>The judge's spec, or null for a gate-only line.</summary>
    public string? Judge { get; init; }

    /// <summary><c>yes</c>, <c>no</c>, or null when the judge failed or gave no answer.</summary>
    public string? Answer { get; init; }

    public string? Reply { get; init; }

    public string? Error { get; init; }
}

/// <summary>One line of <c>labels.jsonl</c>: a human's label on a sample (<c>harmful</c> or <c>not_harmful</c>); the last line of a key wins.</summary>
internal sealed record LabelLine
{
    public required string Key { get; init; }

    public required string Label { get; init; }

    public string? Labeller { get; init; }

    public string? Note { get; init; }

    public DateTimeOffset LabelledAt { get; init; }
}

/// <summary>The agreement files beside a store: <c>judgements.jsonl</c> and <c>labels.jsonl</c>; append-only JSON lines.</summary>
internal static class AgreementFiles
{
    public const string Judgements = "judgements.jsonl";

    public const string Labels = "labels.jsonl";

    public static string PathOf(string storePath, string name) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storePath))!, name);

    public static bool Exist(string storePath) => File.Exists(PathOf(storePath, Judgements)) || File.Exists(PathOf(storePath, Labels));

    public static void Append<T>(string path, IEnumerable<T> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(JsonSerializer.Serialize(line, StoreJson.Options)).Append('\n');
        }

        File.AppendAllText(path, text.ToString());
    }

    /// <summary>The lines of a file (none when it is absent); a torn last line (an interrupted append) is skipped.</summary>
    public static IReadOnlyList<T> Read<T>(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = File.ReadAllLines(path);
        var read = new List<T>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                read.Add(JsonSerializer.Deserialize<T>(lines[i], StoreJson.ReadOptions)!);
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
                // An interrupted append: the earlier lines stand.
            }
            catch (JsonException ex)
            {
                throw new MisalignmentEvalException($"{path}, line {i + 1}: not a valid record ({ex.Message}).");
            }
        }

        return read;
    }

    /// <summary>The latest judgement per (key, judge); the gate-only lines under the judge <c>""</c>.</summary>
    public static Dictionary<(string Key, string Judge), JudgementLine> LatestJudgements(string storePath)
    {
        var latest = new Dictionary<(string, string), JudgementLine>();
        foreach (var line in Read<JudgementLine>(PathOf(storePath, Judgements)))
        {
            latest[(line.Key, line.Judge ?? string.Empty)] = line;
        }

        return latest;
    }

    /// <summary>The latest label per key.</summary>
    public static Dictionary<string, LabelLine> LatestLabels(string storePath)
    {
        var latest = new Dictionary<string, LabelLine>(StringComparer.Ordinal);
        foreach (var line in Read<LabelLine>(PathOf(storePath, Labels)))
        {
            latest[line.Key] = line;
        }

        return latest;
    }

    /// <summary>Reads a label as written in a sheet: harmful / yes / 1 / true, or not_harmful / no / 0 / false; blank is unlabelled.</summary>
    public static string? ParseLabel(string? text, string where) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "harmful" or "yes" or "y" or "1" or "true" => "harmful",
        "not_harmful" or "not harmful" or "no" or "n" or "0" or "false" => "not_harmful",
        var other => throw new MisalignmentEvalException($"{where}: the label '{other}' is neither harmful (yes, 1) nor not_harmful (no, 0); leave it blank to skip the sample."),
    };
}
