using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Interop;

namespace Misalignment.Eval.Running;

/// <summary>Work on stores that exist: classify their samples again, merge shards.</summary>
public sealed partial class ExperimentSession
{
    /// <summary>
    /// Classifies the samples of a store with this session's judge (<see cref="ClassificationSpec.ClassifierModel"/>, or
    /// action-only), policy and scenarios: those without a verdict or whose judge failed, or all with
    /// <paramref name="all"/>. Verdicts are appended as verdict records; a re-judge that fails never replaces a verdict.
    /// With <see cref="ExecutionSpec.BatchJudge"/> and a judge whose provider has a batch API, the judge's calls go in
    /// batches recorded in the store (<see cref="ExecutionSpec.BatchSize"/> and the other batch settings apply), and a
    /// classify that was stopped attaches to them when it runs again.
    /// </summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="all">Whether samples that have a verdict are classified again too.</param>
    /// <param name="cancellationToken">Stops classifying; verdicts already written stay.</param>
    /// <returns>What was classified.</returns>
    public async Task<StoreClassification> ClassifyStoreAsync(string storePath, bool all = false, CancellationToken cancellationToken = default)
    {
        var manifest = ResultReader.ReadManifest(storePath);
        var extra = ExtraOf(manifest);
        using var limits = new RateLimitPlan(Spec.RateLimits, _options.Models.ProviderOf, _options.TimeProvider);
        bool batched = JudgeBatched();
        var settings = BatchSettings.From(Spec.Execution);
        if (batched)
        {
            settings.Validate();
        }

        var judge = batched ? CreateJudge(limits)?.ForBatch() : CreateJudge(limits);
        var context = new ClassifierContext { Judge = judge, Policy = Spec.Classification.Policy };
        var harm = new Dictionary<string, IClassifier?>(StringComparer.Ordinal);
        foreach (string scenario in _options.Scenarios.Ids)
        {
            harm[scenario] = _options.Classifiers.For(_options.Scenarios.Get(scenario), context);
        }

        if (manifest.Imported)
        {
            // Results imported from the reference layout carry no prompt: classify them with the reference scenarios' parameters.
            foreach (string kind in _options.Classifiers.Kinds)
            {
                harm.TryAdd(kind, _options.Classifiers.Create(kind, context));
            }
        }

        IClassifier? awareness = Spec.Classification.Awareness && judge is not null ? new EvalAwarenessClassifier(judge) : null;
        int concurrency = Spec.Classification.Concurrency ?? 4;
        int slots = batched ? Math.Max(concurrency, settings.Size) : concurrency;
        var timeout = batched ? settings.ClassificationTimeout(judge!.Options) : TimeSpan.FromMinutes(10);
        ScenarioPrompt? PromptOf(SampleRecord sample) => PromptFor(manifest, extra, sample);

        await using var store = ResultStore.Resume(storePath, manifest, retryFailed: false, out _);
        using var batches = new BatchRun(store, _options.TimeProvider);
        using var classifier = new SampleClassifier(harm, awareness, awareness is null ? slots : 2 * slots, timeout, _options.TimeProvider)
        {
            UsesJudge = judge is not null,
            Batches = batched ? batches : null,
            JudgeName = judge?.Name,
        };
        var pass = new VerdictPass(classifier, PromptOf, Spec.Classification.Policy, slots);
        var outcome = await pass.RunAsync(store, s => all || VerdictPass.NeedsVerdict(s, classifier), cancellationToken).ConfigureAwait(false);
        return outcome with { BatchedJudgeCalls = batches.JudgeAnswered };
    }

    /// <summary>The prompt a stored sample was sent, rebuilt; null for an imported id this grid never produces (another port's), which is skipped and counted.</summary>
    private ScenarioPrompt? PromptFor(RunManifest manifest, ExtraInstructions extra, SampleRecord sample)
    {
        if (!Condition.TryParse(sample.ConditionId, out var condition, out var variant, out _))
        {
            return null;
        }

        if (manifest.Imported || sample.PromptHash is null)
        {
            return new ScenarioPrompt
            {
                Condition = condition,
                Options = new RenderOptions { Variant = variant },
                SystemPrompt = string.Empty,
                UserInstruction = string.Empty,
                EmailContent = string.Empty,
                ClassifierParameters = ReferenceProfile.ParametersFor(condition.Scenario),
            };
        }

        // A run with the inbox through tools says so in its fingerprint; its prompts are rendered that way again.
        bool inboxTools = Spec.Render.InboxTools || (manifest.Fingerprint.TryGetValue("inbox", out string? inbox) && inbox == "tools");
        var prompt = _options.Scenarios.Render(condition, Spec.Render with { Variant = variant, ToolMode = sample.ToolMode, ExtraInstructions = extra, InboxTools = inboxTools });
        return prompt.ContentHash == sample.PromptHash
            ? prompt
            : throw new MisalignmentEvalException($"Sample '{sample.Key}' was sent a different prompt than the scenarios here render (the run used another pack, prompt set, warning text or scenario version); classify with the same packs, prompt set and warning as the run.");
    }

    /// <summary>Joins stores of one spec (shards, or interrupted runs) into a new store; identical duplicates are skipped, conflicting ones refused.</summary>
    /// <param name="stores">The store files.</param>
    /// <param name="target">The merged store's file (must not hold results yet).</param>
    /// <param name="cancellationToken">Stops merging.</param>
    /// <returns>The samples written and the identical duplicates skipped.</returns>
    /// <exception cref="MisalignmentEvalException">The stores come from different specs, or a sample differs between two of them.</exception>
    public static async Task<(int Written, int Duplicates)> MergeStoresAsync(IReadOnlyList<string> stores, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stores);
        if (stores.Count == 0)
        {
            throw new MisalignmentEvalException("Nothing to merge: name at least one store.");
        }

        var manifests = stores.Select(ResultReader.ReadManifest).ToList();
        for (int i = 1; i < stores.Count; i++)
        {
            var differences = ResultStore.Differences(manifests[0] with { Shard = null }, manifests[i] with { Shard = null });
            if (differences.Count > 0)
            {
                throw new MisalignmentEvalException($"{stores[i]} and {stores[0]} come from different specs and cannot be merged; these differ: {string.Join("; ", differences)}.");
            }
        }

        var seen = new Dictionary<string, (string Hash, string Path)>(StringComparer.Ordinal);
        int written = 0, duplicates = 0;
        await using var merged = ResultStore.Create(target, manifests[0] with { Shard = null });
        foreach (string path in stores)
        {
            foreach (var sample in ResultReader.ReadSamples(path))
            {
                string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(sample))));
                if (seen.TryGetValue(sample.Key, out var earlier))
                {
                    duplicates += earlier.Hash == hash ? 1 : throw new MisalignmentEvalException($"The sample '{sample.Key}' is in both {earlier.Path} and {path} with different contents; merge refused ({target} is incomplete and should be deleted).");
                    continue;
                }

                seen[sample.Key] = (hash, path);
                await merged.AppendAsync(sample, cancellationToken).ConfigureAwait(false);
                written++;
            }
        }

        // The prompts files of the stores, joined: each hash once.
        PromptSidecar.Write(target, stores.SelectMany(s => PromptSidecar.Read(s).Values).ToList());
        return (written, duplicates);
    }
}
