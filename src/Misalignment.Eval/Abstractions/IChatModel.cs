namespace Misalignment.Eval;

/// <summary>
/// The system under test: a model behind a Microsoft.Extensions.AI <c>IChatClient</c> (see
/// <see cref="ChatClientModel"/>), or a whole in-house agent with its own prompt, tools and guardrails.
/// </summary>
public interface IChatModel
{
    /// <summary>The name results are recorded under, e.g. <c>openai:gpt-4.1</c> or <c>my-support-agent</c>.</summary>
    string Name { get; }

    /// <summary>Answers one request.</summary>
    /// <param name="request">The prompts and the sample's index and seed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    Task<ModelResponse> RespondAsync(ModelRequest request, CancellationToken cancellationToken = default);
}
