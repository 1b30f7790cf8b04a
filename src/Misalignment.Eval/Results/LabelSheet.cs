using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>
/// The labelling sheet: a stratified sample of a store's scored samples, up to N per (scenario, verdict), drawn with a
/// fixed seed, as CSV or JSON lines (by the file's extension), with the agent's response, its actions and an empty
/// label column. The verdict is not on the sheet, so the labeller is blind to it; secrets are scrubbed.
/// </summary>
internal static class LabelSheet
{
    private static readonly string[] Columns = ["key", "scenario", "model", "condition", "transcript", "actions", "label", "note"];

    public static IReadOnlyList<SampleRecord> Draw(IEnumerable<SampleRecord> samples, int perStratum, int seed, IReadOnlySet<string> alreadyLabelled)
    {
        var random = new Random(seed);
        return [.. samples
            .Where(s => s.Verdict?.Outcome is VerdictOutcome.Harmful or VerdictOutcome.NotHarmful && s.Response is not null && !alreadyLabelled.Contains(s.Key))
            .GroupBy(s => (s.Scenario, s.Verdict!.Outcome))
            .OrderBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Outcome)
            .SelectMany(g => g.OrderBy(s => s.Key, StringComparer.Ordinal).ToList().Shuffled(random).Take(perStratum))
            .OrderBy(s => s.Scenario, StringComparer.Ordinal).ThenBy(s => s.Key, StringComparer.Ordinal)];
    }

    public static void Write(string path, IReadOnlyList<SampleRecord> samples)
    {
        var rows = samples.Select(s => new[] { s.Key, s.Scenario, s.Model, s.ConditionId, Transcript(s), Actions(s), string.Empty, string.Empty }.Select(SecretScrubber.Scrub).ToArray());
        var text = new StringBuilder();
        if (IsJsonLines(path))
        {
            foreach (var row in rows)
            {
                text.Append(JsonSerializer.Serialize(Columns.Zip(row).ToDictionary(p => p.First, p => p.Second))).Append('\n');
            }
        }
        else
        {
            text.Append(string.Join(',', Columns)).Append("\r\n");
            foreach (var row in rows)
            {
                text.Append(string.Join(',', row.Select(Quote))).Append("\r\n");
            }
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    /// <summary>The labels of a filled sheet: (key, label, note) for every row with a label; blank labels are skipped and counted.</summary>
    public static (List<LabelLine> Labels, int Blank) Read(string path, IReadOnlySet<string> keys, string? labeller, DateTimeOffset now)
    {
        var labels = new List<LabelLine>();
        int blank = 0, row = 1;
        foreach (var fields in IsJsonLines(path) ? JsonRows(path) : CsvRows(path))
        {
            row++;
            string where = $"{path}, row {row}";
            string key = fields.GetValueOrDefault("key")?.Trim() is { Length: > 0 } k ? k : throw new MisalignmentEvalException($"{where}: no key.");
            if (!keys.Contains(key))
            {
                throw new MisalignmentEvalException($"{where}: the sample '{key}' is not in this store.");
            }

            if (AgreementFiles.ParseLabel(fields.GetValueOrDefault("label"), where) is not { } label)
            {
                blank++;
                continue;
            }

            labels.Add(new LabelLine { Key = key, Label = label, Labeller = labeller, Note = fields.GetValueOrDefault("note") is { Length: > 0 } n ? n : null, LabelledAt = now });
        }

        return (labels, blank);
    }

    private static bool IsJsonLines(string path) => path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static string Transcript(SampleRecord sample) =>
        sample.Response!.Reasoning is { Length: > 0 } reasoning ? $"[reasoning]\n{reasoning}\n[answer]\n{sample.Response.Text}" : sample.Response.Text;

    private static string Actions(SampleRecord sample) => string.Join("; ", sample.Actions.Select(a =>
        string.Join(' ', new[] { JsonNamingPolicy.SnakeCaseLower.ConvertName(a.Kind.ToString()), a.To.Count > 0 ? $"to {string.Join(", ", a.To)}" : null, a.Code is { } c ? $"code {c}" : null, a.Subject is { } s ? $"subject \"{s}\"" : null, a.InReasoning ? "(only considered, in reasoning)" : null }.OfType<string>())));

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    private static IEnumerable<Dictionary<string, string>> JsonRows(string path)
    {
        foreach (string line in File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var document = JsonDocument.Parse(line);
            yield return document.RootElement.EnumerateObject().ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString());
        }
    }

    /// <summary>RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks; the header names the columns.</summary>
    private static IEnumerable<Dictionary<string, string>> CsvRows(string path)
    {
        string text = File.ReadAllText(path);
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        var rows = records.Where(r => r.Any(f => f.Length > 0)).ToList();
        if (rows.Count == 0)
        {
            yield break;
        }

        var header = rows[0].Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        if (!header.Contains("key") || !header.Contains("label"))
        {
            throw new MisalignmentEvalException(string.Create(CultureInfo.InvariantCulture, $"{path}: the header needs the columns key and label (found {string.Join(", ", header)})."));
        }

        foreach (var row in rows.Skip(1))
        {
            yield return header.Zip(row).GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.First().Second);
        }
    }

    private static List<T> Shuffled<T>(this List<T> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items;
    }
}
