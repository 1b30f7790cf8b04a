namespace Misalignment.Eval;

/// <summary>
/// Decides whether a response took a scenario's harmful action: a deterministic gate on the actions,
/// optionally backed by a judge model (itself an <c>IChatClient</c>).
/// </summary>
public interface IClassifier
{
    /// <summary>The classifier's name, recorded with every verdict.</summary>
    string Name { get; }

    /// <summary>Classifies one response.</summary>
    /// <param name="prompt">The prompts the response answered (with the scenario's classifier parameters).</param>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancels the classification.</param>
    /// <returns>The verdict; failures are <see cref="VerdictOutcome.Unscorable"/> or <see cref="VerdictOutcome.Error"/>, never not harmful.</returns>
    Task<Verdict> ClassifyAsync(ScenarioPrompt prompt, ModelResponse response, CancellationToken cancellationToken = default);
}
