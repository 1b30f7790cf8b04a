using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Misalignment.Eval.Reporting;

/// <summary>
/// The sample browser's data, embedded in the page as two JSON blocks: a small index read when the page opens (a row per
/// sample: model, condition, index, verdict, attempts, latency) and the text read on first use (the transcripts, each distinct
/// string once, and each distinct prompt once by hash). Every string is escaped for an inline script (no <c>&lt;</c> survives).
/// </summary>
internal static class SampleData
{
    /// <summary>The verdicts a sample can have, as the tables count them.</summary>
    public static readonly IReadOnlyList<string> Outcomes = ["harmful", "not_harmful", "unscorable", "error", "unclassified"];

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Builds both blocks from the context's samples and prompts.</summary>
    /// <param name="context">The report's context.</param>
    /// <returns>The index and text JSON.</returns>
    public static (string Index, string Text) Build(ReportContext context)
    {
        var models = new Interner();
        var conditions = new Dictionary<string, int>(StringComparer.Ordinal);
        var strings = new Interner();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        using var index = new MemoryStream();
        using var text = new MemoryStream();
        using var conditionList = new MemoryStream();
        using (var i = new Utf8JsonWriter(index, Options))
        using (var t = new Utf8JsonWriter(text, Options))
        using (var c = new Utf8JsonWriter(conditionList, Options))
        {
            i.WriteStartArray();
            t.WriteStartArray();
            c.WriteStartArray();
            foreach (var s in context.Samples())
            {
                if (!conditions.TryGetValue(s.ConditionId, out int condition))
                {
                    condition = conditions[s.ConditionId] = conditions.Count;
                    c.WriteStartArray();
                    foreach (string part in new[] { s.ConditionId, s.Scenario, s.GoalType.ToId(), s.GoalValue.ToId(), s.Urgency.ToId(), s.Variant.ToId() })
                    {
                        c.WriteStringValue(part);
                    }

                    c.WriteEndArray();
                }

                i.WriteStartArray();
                i.WriteNumberValue(models.Add(s.Model));
                i.WriteNumberValue(condition);
                i.WriteNumberValue(s.SampleIndex);
                i.WriteNumberValue(OutcomeOf(s));
                i.WriteNumberValue(s.Attempts);
                i.WriteNumberValue(Math.Round(s.LatencyMs));
                i.WriteEndArray();
                if (s.PromptHash is { } hash)
                {
                    hashes.Add(hash);
                }

                Detail(t, s, strings);
            }

            i.WriteEndArray();
            t.WriteEndArray();
            c.WriteEndArray();
        }

        var prompts = context.Prompts();
        using var promptJson = new MemoryStream();
        using (var p = new Utf8JsonWriter(promptJson, Options))
        {
            p.WriteStartObject();
            foreach (string hash in hashes.Where(prompts.ContainsKey))
            {
                p.WriteStartArray(hash);
                p.WriteNumberValue(strings.Add(prompts[hash].SystemPrompt));
                p.WriteNumberValue(strings.Add(prompts[hash].UserMessage));
                p.WriteEndArray();
            }

            p.WriteEndObject();
        }

        string indexJson = $"{{\"models\":{Json(models.Values)},\"conditions\":{Utf8(conditionList)},\"outcomes\":{Json(Outcomes)},\"samples\":{Utf8(index)}}}";
        string textJson = $"{{\"strings\":{Json(strings.Values)},\"prompts\":{Utf8(promptJson)},\"details\":{Utf8(text)}}}";
        return (indexJson, textJson);
    }

    /// <summary>The sample's place in <see cref="Outcomes"/>: a failed call and a failed judge are errors, no verdict is unclassified.</summary>
    /// <param name="sample">The sample.</param>
    /// <returns>The index.</returns>
    public static int OutcomeOf(SampleRecord sample)
    {
        if (sample.Status == SampleStatus.Error)
        {
            return 3;
        }

        return sample.Verdict?.Outcome switch
        {
            null => 4,
            VerdictOutcome.Harmful => 0,
            VerdictOutcome.NotHarmful => 1,
            VerdictOutcome.Error => 3,
            _ => 2,
        };
    }

    private static void Detail(Utf8JsonWriter t, SampleRecord s, Interner strings)
    {
        t.WriteStartArray();
        t.WriteNumberValue(strings.Add(s.Response?.Text));
        t.WriteNumberValue(strings.Add(s.Response?.Reasoning));
        t.WriteStartArray();
        foreach (var a in s.Actions)
        {
            t.WriteStartArray();
            t.WriteNumberValue(strings.Add(a.Kind.ToId()));
            t.WriteNumberValue(strings.Add(string.Join(", ", a.To)));
            t.WriteNumberValue(strings.Add(a.Subject));
            t.WriteNumberValue(strings.Add(string.Join(", ", a.EmailIds)));
            t.WriteNumberValue(strings.Add(a.Code));
            t.WriteNumberValue(a.InReasoning ? 1 : 0);
            t.WriteEndArray();
        }

        t.WriteEndArray();
        Verdict(t, s.Verdict, strings);
        Verdict(t, s.Awareness, strings);
        if (s.Error is { } e)
        {
            t.WriteStartArray();
            t.WriteNumberValue(strings.Add(e.Type));
            t.WriteNumberValue(strings.Add(e.Message));
            t.WriteNumberValue(e.Status ?? -1);
            t.WriteNumberValue(e.Transient ? 1 : 0);
            t.WriteEndArray();
        }
        else
        {
            t.WriteNullValue();
        }

        t.WriteNumberValue(strings.Add(s.PromptHash));
        t.WriteNumberValue(strings.Add(s.Response?.FinishReason));
        t.WriteStartArray();
        foreach (long? tokens in new[] { s.Response?.InputTokens, s.Response?.OutputTokens, s.Response?.ReasoningTokens })
        {
            t.WriteNumberValue(tokens ?? -1);
        }

        t.WriteEndArray();
        t.WriteNumberValue(s.Response is { Messages.Count: > 0 } r ? strings.Add(JsonSerializer.Serialize(r.Messages, StoreJson.Options)) : -1);
        t.WriteNumberValue(s.Seed ?? -1);
        t.WriteNumberValue(strings.Add(s.StartedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
        t.WriteEndArray();
    }

    private static void Verdict(Utf8JsonWriter t, RecordedVerdict? v, Interner strings)
    {
        if (v is null)
        {
            t.WriteNullValue();
            return;
        }

        t.WriteStartArray();
        foreach (string? part in new[] { v.Outcome.ToId(), v.Classifier, v.Policy is { } policy ? policy.ToId() : null, v.Reason, v.JudgeModel, v.JudgeReply, v.Label })
        {
            t.WriteNumberValue(strings.Add(part));
        }

        t.WriteNumberValue(v.JudgeBacked ? 1 : 0);
        t.WriteNumberValue(v.JudgeFailed == true ? 1 : 0);
        t.WriteEndArray();
    }

    private static string Json(IEnumerable<string> values)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartArray();
            foreach (string value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }

        return Utf8(stream);
    }

    private static string Utf8(MemoryStream stream) => Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);

    /// <summary>Each distinct string once; -1 stands for none.</summary>
    private sealed class Interner
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

        public List<string> Values { get; } = [];

        public int Add(string? value)
        {
            if (value is null)
            {
                return -1;
            }

            if (!_ids.TryGetValue(value, out int id))
            {
                id = _ids[value] = Values.Count;
                Values.Add(value);
            }

            return id;
        }
    }
}
