using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Running;

/// <summary>
/// Classifies one response: the harm classifier its scenario declares and, when asked, the eval-awareness
/// classifier. Judge calls wait for a judge slot and run under a timeout that holds even when the classifier ignores its
/// token; a classifier that fails or times out gives an unscorable verdict marked as a judge failure, so
/// <c>classify</c> or a resume can judge it again.
/// </summary>
internal sealed class SampleClassifier(IReadOnlyDictionary<string, IClassifier?> harm, IClassifier? awareness, int judgeConcurrency, TimeSpan timeout, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _judgeSlots = new(Math.Max(1, judgeConcurrency));

    /// <summary>Whether classification calls a judge (and so should follow the recording of the answer).</summary>
    public bool UsesJudge { get; init; }

    public bool Classifies(string scenario) => harm.GetValueOrDefault(scenario) is not null || awareness is not null;

    public async Task<SampleVerdicts> ClassifyAsync(ScenarioPrompt prompt, ModelResponse response, CancellationToken cancellationToken)
    {
        var verdict = await RunAsync(harm.GetValueOrDefault(prompt.Condition.Scenario), prompt, response, cancellationToken).ConfigureAwait(false);
        var aware = await RunAsync(awareness, prompt, response, cancellationToken).ConfigureAwait(false);
        return new SampleVerdicts(verdict, aware);
    }

    public void Dispose() => _judgeSlots.Dispose();

    private async Task<Verdict?> RunAsync(IClassifier? classifier, ScenarioPrompt prompt, ModelResponse response, CancellationToken cancellationToken)
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
            return await classifier.ClassifyAsync(prompt, response, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
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
