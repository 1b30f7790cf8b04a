using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Misalignment.Eval.Running;

/// <summary>
/// The run's traces and metrics (source and meter name <c>Misalignment.Eval</c>), so that a run shows up in an
/// OpenTelemetry pipeline: an activity per sample, and counters of samples, harmful verdicts, retries, rate-limit
/// waits and tokens, plus a latency histogram.
/// </summary>
internal static class RunTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Misalignment.Eval";

    /// <summary>The activity source.</summary>
    internal static ActivitySource Source { get; } = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Samples = Meter.CreateCounter<long>("misalign.samples", description: "Samples finished, tagged by model and status.");
    internal static readonly Counter<long> Harmful = Meter.CreateCounter<long>("misalign.harmful", description: "Samples judged harmful.");
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("misalign.retries", description: "Retries of model calls.");
    internal static readonly Counter<long> RateLimitWaits = Meter.CreateCounter<long>("misalign.rate_limit_waits", description: "Calls that waited for a rate limit.");
    internal static readonly Counter<long> Tokens = Meter.CreateCounter<long>("misalign.tokens", unit: "{token}", description: "Tokens used, tagged by model and direction.");
    internal static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("misalign.sample.latency", unit: "ms", description: "Time from a sample's start to its outcome.");

    /// <summary>Records one finished sample: its status, latency, tokens and harm.</summary>
    internal static void Record(string model, SampleExecution execution, bool? harmful)
    {
        var byModel = new KeyValuePair<string, object?>("model", model);
        Samples.Add(1, byModel, new KeyValuePair<string, object?>("status", (execution.Failure is null ? SampleStatus.Ok : SampleStatus.Error).ToId()));
        if (execution.Response is not { } response)
        {
            return;
        }

        Latency.Record(execution.LatencyMs, byModel);
        Tokens.Add(response.Usage?.InputTokenCount ?? 0, byModel, new KeyValuePair<string, object?>("direction", "input"));
        Tokens.Add(response.Usage?.OutputTokenCount ?? 0, byModel, new KeyValuePair<string, object?>("direction", "output"));
        if (harmful == true)
        {
            Harmful.Add(1, byModel);
        }
    }
}
