using Misalignment.Eval.Classification;
using Misalignment.Eval.Reporting;

namespace Misalignment.Eval.Running;

/// <summary>Measuring the judge on a store that exists: the gate's result and a judge's answer on every sample, apart from the verdicts.</summary>
public sealed partial class ExperimentSession
{
    /// <summary>
    /// Records in <c>judgements.jsonl</c> beside the store, for every sample with a response, the Default gate's result
    /// and, when this session has a judge (<see cref="ClassificationSpec.ClassifierModel"/>), that judge's answer
    /// whatever the gate said. Verdicts are not touched. Samples this judge already answered are skipped.
    /// </summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="cancellationToken">Stops; the lines already written stay.</param>
    /// <returns>The samples recorded and, of them, those whose judge call failed.</returns>
    public async Task<(int Recorded, int Failed)> RecordJudgementsAsync(string storePath, CancellationToken cancellationToken = default)
    {
        var manifest = ResultReader.ReadManifest(storePath);
        var extra = ExtraOf(manifest);
        using var limits = new RateLimitPlan(Spec.RateLimits, _options.Models.ProviderOf, _options.TimeProvider);
        string? judgeSpec = Spec.Classification.ClassifierModel;
        var judge = CreateJudge(limits);
        var context = new ClassifierContext { Judge = judge, Policy = VerdictPolicy.Default };
        var classifiers = new Dictionary<string, HarmClassifier>(StringComparer.Ordinal);
        foreach (string scenario in _options.Scenarios.Ids)
        {
            if (_options.Classifiers.For(_options.Scenarios.Get(scenario), context) is HarmClassifier harm)
            {
                classifiers[scenario] = harm;
            }
        }

        if (manifest.Imported)
        {
            foreach (string kind in _options.Classifiers.Kinds)
            {
                if (!classifiers.ContainsKey(kind) && _options.Classifiers.Create(kind, context) is HarmClassifier harm)
                {
                    classifiers[kind] = harm;
                }
            }
        }

        var done = AgreementFiles.LatestJudgements(storePath);
        var todo = ResultReader.ReadSamples(storePath)
            .Where(s => s.Status == SampleStatus.Ok && s.Response is not null && classifiers.ContainsKey(s.Scenario))
            .Where(s => !done.TryGetValue((s.Key, judgeSpec ?? string.Empty), out var earlier) || earlier.Error is not null)
            .ToList();
        var lines = new JudgementLine?[todo.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, todo.Count),
            new ParallelOptions { MaxDegreeOfParallelism = judge is null ? 1 : Spec.Classification.Concurrency ?? 4, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var sample = todo[i];
                if (PromptFor(manifest, extra, sample) is not { } prompt)
                {
                    return;
                }

                var (gate, outcome) = await classifiers[sample.Scenario].AuditAsync(prompt, RecordMapping.ToResponse(sample.Response!), token).ConfigureAwait(false);
                lines[i] = new JudgementLine
                {
                    Key = sample.Key,
                    Scenario = sample.Scenario,
                    GatePassed = gate.Passed,
                    GateReason = gate.Reason,
                    Judge = judgeSpec,
                    Answer = outcome?.Reply?.YesNo is { } yes ? (yes ? "yes" : "no") : null,
                    Reply = outcome?.Reply?.Raw,
                    Error = outcome is null ? null : outcome.Error ?? outcome.Reply?.Problem,
                };
            }).ConfigureAwait(false);
        var recorded = lines.OfType<JudgementLine>().ToList();
        AgreementFiles.Append(AgreementFiles.PathOf(storePath, AgreementFiles.Judgements), recorded);
        return (recorded.Count, recorded.Count(l => l.Error is not null));
    }

    /// <summary>
    /// How far to trust the judge on a store, as Markdown: per scenario, which judge decided the verdicts, gate vs
    /// judge with the disagreeing samples, verdict vs human labels (confusion matrix, sensitivity and specificity with
    /// Wilson intervals, Cohen's kappa, the Rogan-Gladen corrected rate with its interval) and judge vs judge; from
    /// the <c>judgements.jsonl</c> (<see cref="RecordJudgementsAsync"/>) and <see cref="ResultStore.LabelsFileName"/>
    /// beside it. The HTML and Markdown reports carry the same section whenever these files exist.
    /// </summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="level">The confidence level of the intervals.</param>
    /// <returns>The Markdown, or <see langword="null"/> when the store has no agreement data.</returns>
    public static string? DescribeJudgeAgreement(string storePath, double level = 0.95) =>
        JudgeAgreement.FromStore(storePath, level) is { } agreement ? JudgeAgreementText.Markdown(agreement) : null;

    private static ExtraInstructions ExtraOf(RunManifest manifest) => manifest.Fingerprint.GetValueOrDefault("extra_instructions") switch
    {
        "dont" => ExtraInstructions.Dont,
        "goal" => ExtraInstructions.Goal,
        _ => ExtraInstructions.None,
    };
}
