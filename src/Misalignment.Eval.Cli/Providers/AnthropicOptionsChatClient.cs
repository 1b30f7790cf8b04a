using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// Fills in what the Anthropic SDK's <see cref="IChatClient"/> (13.14) leaves out of a request: the temperature (its
/// typed parameters no longer have one; the reference sends one and the judge needs 0), and an exact
/// extended-thinking budget (<c>+thinking=N</c>). With thinking on, the budget is added to the output budget so the
/// answer keeps its own, and no temperature is sent (the API allows only the default with thinking). With
/// <paramref name="promptCache"/>, the shared prefix gets a prompt-cache breakpoint (<see cref="AnthropicPromptCache"/>).
/// </summary>
internal sealed class AnthropicOptionsChatClient(IChatClient inner, string model, int defaultMaxTokens, int? thinkingBudget, bool promptCache = false) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (promptCache)
        {
            messages = AnthropicPromptCache.WithBreakpoint(messages);
        }

        if (options?.RawRepresentationFactory is null)
        {
            var request = options?.Clone() ?? new ChatOptions();
            bool effortThinking = request.Reasoning?.Effort is { } effort && effort != ReasoningEffort.None;
            float? temperature = thinkingBudget is null && !effortThinking ? request.Temperature : null;
            long maxTokens = (request.MaxOutputTokens ?? defaultMaxTokens) + (thinkingBudget ?? 0);
            string modelId = request.ModelId ?? model;
            request.RawRepresentationFactory = _ => Parameters(modelId, maxTokens, temperature, thinkingBudget);
            options = request;
        }

        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    private static MessageCreateParams Parameters(string model, long maxTokens, float? temperature, int? thinkingBudget)
    {
        var body = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (temperature is { } t)
        {
            body["temperature"] = JsonSerializer.SerializeToElement(Math.Round((double)t, 4));
        }

        var parameters = new MessageCreateParams(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body)
        {
            Model = model,
            MaxTokens = maxTokens,
            Messages = [],
        };
        return thinkingBudget is { } budget ? parameters with { Thinking = new ThinkingConfigEnabled(budget) } : parameters;
    }
}
