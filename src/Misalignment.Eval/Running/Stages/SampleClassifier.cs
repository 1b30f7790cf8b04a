using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Running;

/// <summary>
/// Classifies one response: the harm classifier its scenario declares and, when asked, the eval-awareness
/// classifier. Judge calls wait for a judge slot and run under a timeout that holds even when the classifier ignores its
/// token; a classifier that fails or times out gives an unscorable verdict marked as a judge failure, so
/// <c>classify</c> or a resume can judge it again.
/// </summary>
/// <remarks>
/// With a batched judge (<see cref="Batches"/>) each classifier runs in a <see cref="BatchScope"/> of the sample's key
/// and its own call (harm, awareness), so the judge's batcher holds its calls in judge batches; the two run at once, so
/// a sample's two judge calls can share a batch. The slots and the timeout given are then the batched judge's.
/// </remarks>
internal sealed class SampleClassifier(IReadOnlyDictionary<string, IClassifier?> harm, IClassifier? awareness, int judgeConcurrency, TimeSpan timeout, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _judgeSlots = new(Math.Max(1, judgeConcurrency));

    /// <summary>Whether classification calls a judge (and so should follow the recording of the answer).</summary>
    public bool UsesJudge { get; init; }

    /// <summary>The run whose batches a batched judge's calls go into, or <see langword="null"/> for an online judge.</summary>
    public BatchRun? Batches { get; init; }

    /// <summary>The judge's name (a batched judge's batches are recorded under it).</summary>
    public string? JudgeName { get; init; }

    public bool Classifies(string scenario) => harm.GetValueOrDefault(scenario) is not null || awareness is not null;

    /// <summary>Classifies the response of the sample <paramref name="key"/>.</summary>
    public async Task<SampleVerdicts> ClassifyAsync(string key, ScenarioPrompt prompt, ModelResponse response, CancellationToken cancellationToken)
    {
        var classifier = harm.GetValueOrDefault(prompt.Condition.Scenario);
        if (Batches is not null)
        {
            var harmTask = RunAsync(classifier, BatchScope.HarmJudge, key, prompt, response, cancellationToken);
            var awareTask = RunAsync(awareness, BatchScope.AwarenessJudge, key, prompt, response, cancellationToken);
            await Task.WhenAll(harmTask, awareTask).ConfigureAwait(false);
            return new SampleVerdicts(await harmTask.ConfigureAwait(false), await awareTask.ConfigureAwait(false));
        }

        var verdict = await RunAsync(classifier, BatchScope.HarmJudge, key, prompt, response, cancellationToken).ConfigureAwait(false);
        var aware = await RunAsync(awareness, BatchScope.AwarenessJudge, key, prompt, response, cancellationToken).ConfigureAwait(false);
        return new SampleVerdicts(verdict, aware);
    }

    public void Dispose() => _judgeSlots.Dispose();

    private async Task<Verdict?> RunAsync(IClassifier? classifier, string call, string key, ScenarioPrompt prompt, ModelResponse response, CancellationToken cancellationToken)
    {
        if (classifier is null)
        {
            return null;
        }

        await _judgeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            // WaitAsync: a classifier that ignores its token (a hung socket, a custom judge) is abandoned at the timeout all the same.
            Task<Verdict> Classify() => classifier.ClassifyAsync(prompt, response, linked.Token).WaitAsync(linked.Token);
            if (Batches is not { } batches)
            {
                return await Classify().ConfigureAwait(false);
            }

            var scope = new BatchScope(batches, key, JudgeName ?? classifier.Name) { Call = call };
            var verdict = await scope.RunAsync(Classify).ConfigureAwait(false);
            if (scope.BatchId is not null)
            {
                batches.CountAnswered(scope.Model, judge: true);
            }

            return verdict;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(classifier, $"the classifier did not finish within {timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(classifier, $"the classifier failed: {ex.GetType().Name}: {SecretScrubber.Scrub(ex.Message)}");
        }
        finally
        {
            _judgeSlots.Release();
        }
    }

    private static Verdict Failed(IClassifier classifier, string reason) =>
        new() { Outcome = VerdictOutcome.Unscorable, Classifier = classifier.Name, Reason = reason, JudgeFailed = true };
}
