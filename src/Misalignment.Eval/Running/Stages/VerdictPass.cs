namespace Misalignment.Eval.Running;

/// <summary>
/// Judges samples already recorded (those a run left without a verdict, those whose judge failed, or all of them for
/// <c>classify --force</c>) and appends verdict records. A re-judge that fails never replaces a verdict that stands:
/// harm and awareness verdicts are kept or replaced each on its own, and every record carries both in full (a reader
/// applies the last record of a sample).
/// </summary>
internal sealed class VerdictPass(SampleClassifier classifier, Func<SampleRecord, ScenarioPrompt?> promptOf, VerdictPolicy policy, int concurrency)
{
    /// <summary>Whether a recorded sample still waits for a verdict: none yet where one is due, or a failed judge.</summary>
    public static bool NeedsVerdict(SampleRecord sample, SampleClassifier classifier) =>
        sample.Status == SampleStatus.Ok && sample.Response is not null && classifier.Classifies(sample.Scenario)
        && (sample.Verdict is null || sample.Verdict.JudgeFailed == true || sample.Awareness?.JudgeFailed == true);

    public async Task<StoreClassification> RunAsync(IResultSink sink, Func<SampleRecord, bool> select, CancellationToken cancellationToken)
    {
        var todo = sink.ReadSamples().Where(s => s.Status == SampleStatus.Ok && s.Response is not null && classifier.Classifies(s.Scenario) && select(s)).ToList();
        int classified = 0, harmful = 0, scored = 0, failures = 0, kept = 0, skipped = 0;
        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken }, async (sample, token) =>
        {
            if (promptOf(sample) is not { } prompt)
            {
                Interlocked.Increment(ref skipped);
                return;
            }

            var verdicts = await classifier.ClassifyAsync(sample.Key, prompt, RecordMapping.ToResponse(sample.Response!), token).ConfigureAwait(false);
            var fresh = SampleRecordFactory.VerdictsOf(sample.Key, verdicts, policy);
            var record = fresh with { Verdict = Standing(sample.Verdict, fresh.Verdict), Awareness = Standing(sample.Awareness, fresh.Awareness) };
            if (verdicts.JudgeFailed)
            {
                Interlocked.Increment(ref failures);
                if (!RecordsFailure(record.Verdict, fresh.Verdict) && !RecordsFailure(record.Awareness, fresh.Awareness))
                {
                    // Every verdict the judge failed on had an earlier one, which stands.
                    Interlocked.Increment(ref kept);
                }
            }

            if (ReferenceEquals(record.Verdict, sample.Verdict) && ReferenceEquals(record.Awareness, sample.Awareness))
            {
                // Nothing new stands: the earlier verdicts are kept as they are.
                return;
            }

            Interlocked.Increment(ref classified);
            if (ReferenceEquals(record.Verdict, fresh.Verdict) && verdicts.Harm is { IsScored: true } harm)
            {
                Interlocked.Increment(ref scored);
                if (harm.Outcome == VerdictOutcome.Harmful)
                {
                    Interlocked.Increment(ref harmful);
                }
            }

            await sink.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new StoreClassification
        {
            Selected = todo.Count,
            Classified = classified,
            Harmful = harmful,
            Scored = scored,
            JudgeFailures = failures,
            KeptEarlierVerdicts = kept,
            Skipped = skipped,
        };
    }

    /// <summary>
    /// The verdict that stands after a re-judge, per verdict (harm and awareness apart): the fresh one, unless it is a
    /// judge failure where a verdict stood, or there is none (a classifier not run this time).
    /// </summary>
    private static RecordedVerdict? Standing(RecordedVerdict? earlier, RecordedVerdict? fresh) =>
        fresh is null || (fresh.JudgeFailed == true && earlier is { JudgeFailed: not true }) ? earlier : fresh;

    private static bool RecordsFailure(RecordedVerdict? standing, RecordedVerdict? fresh) => fresh is { JudgeFailed: true } && ReferenceEquals(standing, fresh);
}
