using Misalignment.Eval.Classification;
using Polly.Timeout;

namespace Misalignment.Eval.Running;

/// <summary>Turns a sample's execution and verdicts into the record the sink keeps; secrets are scrubbed from every message.</summary>
internal static class SampleRecordFactory
{
    /// <summary>The record of one sample; <paramref name="costUsd"/> is what its calls cost at its model's price (the number the run's cost cap counted), or <see langword="null"/>.</summary>
    public static SampleRecord Create(SampleExecution execution, ToolMode toolMode, VerdictPolicy policy, TimeSpan maxRetryAfter, SampleVerdicts verdicts, double? costUsd = null)
    {
        var item = execution.Item;
        var record = new SampleRecord
        {
            Key = item.Key,
            Model = item.Model,
            ConditionId = item.ConditionId,
            Scenario = item.Condition.Scenario,
            GoalType = item.Condition.GoalType,
            GoalValue = item.Condition.GoalValue,
            Urgency = item.Condition.Urgency,
            Variant = item.Variant,
            ToolMode = toolMode,
            SampleIndex = item.SampleIndex,
            Seed = execution.Seed,
            Status = execution.Failure is null ? SampleStatus.Ok : SampleStatus.Error,
            PromptHash = execution.Prompt.ContentHash,
            StartedAt = execution.StartedAt,
            Attempts = execution.Attempts,
            LatencyMs = execution.LatencyMs,
            BatchId = execution.BatchId,
            CostUsd = costUsd,
        };
        if (execution.Failure is { } failure)
        {
            string message = ResiliencePipelines.Describe(failure, maxRetryAfter);
            return record with
            {
                Error = new RecordedError
                {
                    Type = failure.GetType().Name,
                    Message = SecretScrubber.Scrub(failure is TimeoutRejectedException ? $"timed out: {message}" : message),
                    Status = TransientFailures.StatusOf(failure),
                    Transient = TransientFailures.IsTransient(failure),
                },
            };
        }

        var response = execution.Response!;
        return WithVerdicts(record with
        {
            Response = RecordMapping.ToRecorded(response),
            Actions = [.. ActionExtractor.Extract(response).Actions.Select(RecordMapping.ToRecorded)],
        }, verdicts, policy);
    }

    public static SampleRecord WithVerdicts(SampleRecord record, SampleVerdicts verdicts, VerdictPolicy policy) => record with
    {
        Verdict = verdicts.Harm is null ? null : RecordMapping.ToRecorded(verdicts.Harm, policy),
        Awareness = verdicts.Awareness is null ? null : RecordMapping.ToRecorded(verdicts.Awareness, null),
    };

    public static VerdictRecord VerdictsOf(string key, SampleVerdicts verdicts, VerdictPolicy policy) => new()
    {
        Key = key,
        Verdict = verdicts.Harm is null ? null : RecordMapping.ToRecorded(verdicts.Harm, policy),
        Awareness = verdicts.Awareness is null ? null : RecordMapping.ToRecorded(verdicts.Awareness, null),
    };
}
