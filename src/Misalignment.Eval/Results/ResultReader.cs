using System.Text;
using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>
/// Reads result stores, streaming: the manifest, then the samples with any later verdict records applied. A torn
/// last line (a write cut short by a crash) is tolerated and reported; any other malformed line is an error that
/// names the file and line.
/// </summary>
internal static class ResultReader
{
    /// <summary>Reads a store's manifest (its first line).</summary>
    /// <param name="path">The store file.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="MisalignmentEvalException">The file is missing or does not start with a manifest.</exception>
    public static RunManifest ReadManifest(string path)
    {
        foreach (var line in Lines(path, out _))
        {
            return line.Manifest ?? throw new MisalignmentEvalException($"{path}:1: the first line of a result store must be its manifest.");
        }

        throw new MisalignmentEvalException($"{path}: the result store is empty (no manifest).");
    }

    /// <summary>Reads every sample, with later verdict records applied; never holds more than the verdict records in memory.</summary>
    /// <param name="path">The store file.</param>
    /// <returns>The samples, in file order.</returns>
    public static IEnumerable<SampleRecord> ReadSamples(string path)
    {
        var verdicts = new Dictionary<string, VerdictRecord>(StringComparer.Ordinal);
        foreach (var line in Lines(path, out _))
        {
            if (line.Verdict is { } verdict)
            {
                verdicts[verdict.Key] = verdict;
            }
        }

        return Samples(path, verdicts);
    }

    /// <summary>
    /// The store's batch lines, each cut down to the requests not answered yet: the batches a resumed run may still
    /// take answers from. A request of the model's calls is answered by a sample line of its key after it; one of the
    /// judge's calls by a verdict or sample line of its key after it. A batch with none left is left out.
    /// </summary>
    /// <param name="path">The store file.</param>
    /// <returns>The open batches, in file order.</returns>
    public static IReadOnlyList<BatchRecord> OpenBatches(string path)
    {
        var batches = new List<BatchRecord>();
        var open = new List<Dictionary<string, string>>();
        var samples = new Dictionary<string, List<(int Batch, string CustomId)>>(StringComparer.Ordinal);
        var judged = new Dictionary<string, List<(int Batch, string CustomId)>>(StringComparer.Ordinal);
        foreach (var line in Lines(path, out _))
        {
            if (line.Batch is { } batch)
            {
                batches.Add(batch);
                open.Add(new Dictionary<string, string>(batch.Requests, StringComparer.Ordinal));
                var byKey = batch.HoldsJudgeCalls ? judged : samples;
                foreach (var (customId, key) in batch.Requests)
                {
                    if (!byKey.TryGetValue(key, out var list))
                    {
                        byKey[key] = list = [];
                    }

                    list.Add((batches.Count - 1, customId));
                }
            }
            else if ((line.Sample?.Key ?? line.Verdict?.Key) is { } key)
            {
                Close(judged, key, open);
                if (line.Sample is not null)
                {
                    Close(samples, key, open);
                }
            }
        }

        return [.. batches.Select((b, i) => b with { Requests = open[i] }).Where(b => b.Requests.Count > 0)];

        static void Close(Dictionary<string, List<(int Batch, string CustomId)>> byKey, string key, List<Dictionary<string, string>> open)
        {
            if (byKey.Remove(key, out var answered))
            {
                foreach (var (index, customId) in answered)
                {
                    open[index].Remove(customId);
                }
            }
        }
    }

    /// <summary>Checks a store: its lines, keys and torn tail; sums its samples' usage and cost.</summary>
    /// <param name="path">The store file.</param>
    /// <returns>What the store holds.</returns>
    public static StoreSummary Inspect(string path)
    {
        int ok = 0, errors = 0, verdicts = 0;
        var usage = new UsageTally();
        var byModel = new Dictionary<string, UsageTally>(StringComparer.Ordinal);
        RunManifest? manifest = null;
        var lines = Lines(path, out var torn);
        foreach (var line in lines)
        {
            manifest ??= line.Manifest;
            if (line.Sample is { } sample)
            {
                _ = sample.Status == SampleStatus.Ok ? ok++ : errors++;
                usage.Add(sample);
                if (!byModel.TryGetValue(sample.Model, out var model))
                {
                    byModel[sample.Model] = model = new UsageTally();
                }

                model.Add(sample);
            }

            verdicts += line.Verdict is null ? 0 : 1;
        }

        return new StoreSummary
        {
            Manifest = manifest ?? throw new MisalignmentEvalException($"{path}: the result store is empty (no manifest)."),
            Ok = ok,
            Errors = errors,
            VerdictRecords = verdicts,
            Usage = usage,
            UsageByModel = byModel,
            TornLine = torn(),
        };
    }

    private static IEnumerable<SampleRecord> Samples(string path, Dictionary<string, VerdictRecord> verdicts)
    {
        foreach (var line in Lines(path, out _))
        {
            if (line.Sample is { } sample)
            {
                yield return verdicts.TryGetValue(sample.Key, out var later)
                    ? sample with { Verdict = later.Verdict ?? sample.Verdict, Awareness = later.Awareness ?? sample.Awareness }
                    : sample;
            }
        }
    }

    /// <summary>The store's lines, parsed; duplicate sample keys and malformed lines are errors naming file and line.</summary>
    internal static IEnumerable<StoreLine> Lines(string path, out Func<int?> tornLine)
    {
        if (!File.Exists(path))
        {
            throw new MisalignmentEvalException($"{path}: result store not found.");
        }

        int? torn = null;
        tornLine = () => torn;
        return Read(path, n => torn = n);
    }

    private static IEnumerable<StoreLine> Read(string path, Action<int> onTorn)
    {
        bool endsWithNewline = EndsWithNewline(path);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        int number = 0;
        string? next = reader.ReadLine();
        while (next is not null)
        {
            string current = next;
            next = reader.ReadLine();
            number++;
            if (current.Length == 0)
            {
                continue;
            }

            StoreLine parsed;
            try
            {
                parsed = Parse(current, number);
            }
            catch (JsonException ex) when (next is null && !endsWithNewline && ex is not WireNameException)
            {
                _ = ex;
                onTorn(number);
                yield break;
            }
            catch (WireNameException ex)
            {
                // A whole line with one value the writer never writes: said like the checks below, not as a parse failure.
                throw new MisalignmentEvalException($"{path}:{number}: {JsonMessages.Friendly(ex)}", ex);
            }
            catch (JsonException ex)
            {
                throw new MisalignmentEvalException($"{path}:{number}: not a valid store record: {JsonMessages.Friendly(ex)}", ex);
            }

            if (Check(parsed) is { } problem)
            {
                throw new MisalignmentEvalException($"{path}:{number}: {problem}");
            }

            if (number == 1 && parsed.Manifest is null)
            {
                throw new MisalignmentEvalException($"{path}:1: the first line of a result store must be its manifest.");
            }

            if (number > 1 && parsed.Manifest is not null)
            {
                throw new MisalignmentEvalException($"{path}:{number}: a second manifest; only the first line may be one.");
            }

            if (parsed.Sample is { } sample && !keys.Add(sample.Key))
            {
                throw new MisalignmentEvalException($"{path}:{number}: duplicate sample key '{sample.Key}'.");
            }

            yield return parsed;
        }
    }

    private static StoreLine Parse(string text, int number)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"a store line must be a JSON object, not {Kind(document.RootElement.ValueKind)}");
        }

        string? type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return type switch
        {
            "manifest" => new StoreLine(number, document.Deserialize<RunManifest>(StoreJson.ReadOptions), null, null),
            "sample" => new StoreLine(number, null, document.Deserialize<SampleRecord>(StoreJson.ReadOptions), null),
            "verdict" => new StoreLine(number, null, null, document.Deserialize<VerdictRecord>(StoreJson.ReadOptions)),
            "batch" => new StoreLine(number, null, null, null, document.Deserialize<BatchRecord>(StoreJson.ReadOptions)),
            _ when t.ValueKind is JsonValueKind.Undefined => throw new JsonException("the line has no 'type'; expected manifest, sample, verdict or batch"),
            _ => throw new JsonException($"unknown record type {t.GetRawText()}; expected manifest, sample, verdict or batch"),
        };
    }

    private static string? Check(StoreLine line) =>
        line.Manifest is { } manifest ? StoreRecordChecks.Check(manifest)
        : line.Sample is { } sample ? StoreRecordChecks.Check(sample)
        : line.Verdict is not null ? null
        : line.Batch is { } batch ? StoreRecordChecks.Check(batch)
        : "the line holds no record.";

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };

    private static bool EndsWithNewline(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }
}
