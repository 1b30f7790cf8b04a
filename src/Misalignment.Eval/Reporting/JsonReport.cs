using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Reporting;

/// <summary>The JSON report: everything, machine-readable (<c>schemaVersion</c> 1).</summary>
internal static class JsonReport
{
    /// <summary>The schema version written.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Renders the report.</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>The JSON text.</returns>
    public static string Render(Aggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var m = aggregation.Manifest;
        var root = new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["run"] = new JsonObject
            {
                ["experimentId"] = m.ExperimentId,
                ["models"] = new JsonArray([.. aggregation.Models.Select(x => (JsonNode)JsonValue.Create(x))]),
                ["judge"] = m.Judge,
                ["policy"] = m.Policy.ToId(),
                ["judgeBacked"] = aggregation.JudgeBacked,
                ["samplesPerCondition"] = m.SamplesPerCondition,
                ["conditions"] = m.Conditions,
                ["seed"] = m.Seed,
                ["libraryVersion"] = m.LibraryVersion,
                ["scenarios"] = m.Fingerprint.GetValueOrDefault("scenarios"),
                ["specHash"] = m.SpecHash,
                ["simulated"] = m.Simulated,
                ["startedAt"] = m.StartedAt,
            },
            ["level"] = aggregation.Level,
            ["recorded"] = aggregation.Recorded,
            ["planned"] = aggregation.Planned,
            ["partial"] = aggregation.Partial,
            ["stoppedEarly"] = new JsonObject([.. aggregation.StoppedEarly.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)JsonValue.Create(s.Value)))]),
            ["statements"] = new JsonArray([.. ReportText.Statements(aggregation).Select(s => (JsonNode)JsonValue.Create(s))]),
            ["cost"] = Usage(aggregation.Usage, new JsonObject
            {
                ["pricesAsOf"] = m.PricesAsOf,
                ["byModel"] = new JsonArray([.. aggregation.UsageByModel.Select(u => (JsonNode)Usage(u.Value, new JsonObject { ["model"] = u.Key }))]),
            }),
            ["cells"] = new JsonArray([.. aggregation.Cells.Select(c => (JsonNode)Estimate(c.Estimate, new JsonObject
            {
                ["model"] = c.Model,
                ["conditionId"] = c.ConditionId,
                ["scenario"] = c.Scenario,
                ["goalType"] = c.GoalType.ToId(),
                ["goalValue"] = c.GoalValue.ToId(),
                ["urgency"] = c.Urgency.ToId(),
                ["variant"] = c.Variant.ToId(),
            }))]),
            ["groups"] = new JsonArray([.. aggregation.Groups.Select(Group)]),
            ["awareness"] = new JsonArray([.. aggregation.Awareness.Select(Group)]),
        };
        return root.ToJsonString(Options);
    }

    /// <summary>Cost and tokens: <c>usd</c> is null when no sample was priced (never 0 for "not known").</summary>
    private static JsonObject Usage(UsageTally u, JsonObject into)
    {
        into["samples"] = u.Samples;
        into["pricedSamples"] = u.Priced;
        into["usd"] = u.Priced == 0 ? null : u.CostUsd;
        into["samplesWithUsage"] = u.WithUsage;
        into["inputTokens"] = u.InputTokens;
        into["cachedInputTokens"] = u.CachedInputTokens;
        into["cacheWriteTokens"] = u.CacheWriteTokens;
        into["outputTokens"] = u.OutputTokens;
        return into;
    }

    private static JsonNode Group(GroupStats g) =>
        Estimate(g.Estimate, new JsonObject { ["model"] = g.Model, ["axis"] = g.Axis.ToId(), ["value"] = g.Value });

    private static JsonObject Estimate(RateEstimate e, JsonObject into)
    {
        into["samples"] = e.Samples;
        into["scored"] = e.Scored;
        into["harmful"] = e.Harmful;
        into["unscorable"] = e.Unscorable;
        into["errors"] = e.Errored;
        into["unclassified"] = e.Unclassified;
        into["rate"] = e.Scored == 0 ? null : e.Rate;
        into["ciLower"] = e.Interval.Lower;
        into["ciUpper"] = e.Interval.Upper;
        return into;
    }
}
