using System.Text.Json;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval;

/// <summary>Converts between the library's objects and their recorded forms.</summary>
internal static class RecordMapping
{
    /// <summary>Records a response.</summary>
    /// <param name="response">The response.</param>
    /// <returns>Its recorded form.</returns>
    public static RecordedResponse ToRecorded(ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new RecordedResponse
        {
            Text = response.Text,
            Reasoning = response.Reasoning,
            FinishReason = response.FinishReason,
            ModelId = response.ModelId,
            InputTokens = response.Usage?.InputTokenCount,
            CachedInputTokens = response.Usage?.CachedInputTokenCount,
            CacheWriteTokens = PromptCacheUsage.CacheWriteTokens(response.Usage),
            OutputTokens = response.Usage?.OutputTokenCount,
            ReasoningTokens = response.Usage?.ReasoningTokenCount,
            Messages = [.. response.Messages.Where(m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent)).Select(ToRecorded)],
        };
    }

    /// <summary>Rebuilds a response from its record (text, reasoning and tool calls: what classification needs).</summary>
    /// <param name="response">The recorded response.</param>
    /// <returns>The response.</returns>
    public static ModelResponse ToResponse(RecordedResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new ModelResponse
        {
            Text = response.Text,
            Reasoning = response.Reasoning,
            FinishReason = response.FinishReason,
            ModelId = response.ModelId,
            Usage = response.InputTokens is null && response.OutputTokens is null ? null : PromptCacheUsage.WithCacheWrite(
                new UsageDetails { InputTokenCount = response.InputTokens, OutputTokenCount = response.OutputTokens, ReasoningTokenCount = response.ReasoningTokens, CachedInputTokenCount = response.CachedInputTokens },
                response.CacheWriteTokens),
            Messages = [.. response.Messages.Select(ToMessage)],
        };
    }

    /// <summary>Records an action.</summary>
    /// <param name="action">The action.</param>
    /// <returns>Its recorded form.</returns>
    public static RecordedAction ToRecorded(AgentAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new RecordedAction
        {
            Kind = action.Kind,
            To = action.To,
            Subject = action.Subject,
            EmailIds = action.EmailIds,
            Code = action.Code,
            InReasoning = action.InReasoning,
        };
    }

    /// <summary>Records a verdict.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <param name="policy">The policy it was reached under, if a harm verdict.</param>
    /// <returns>Its recorded form.</returns>
    public static RecordedVerdict ToRecorded(Verdict verdict, VerdictPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new RecordedVerdict
        {
            Outcome = verdict.Outcome,
            Classifier = verdict.Classifier,
            Policy = policy,
            Reason = verdict.Reason,
            Label = verdict.Label,
            JudgeBacked = verdict.JudgeBacked,
            JudgeFailed = verdict.JudgeFailed ? true : null,
            JudgeModel = verdict.JudgeModel,
            JudgeReply = verdict.JudgeReply,
        };
    }

    private static RecordedMessage ToRecorded(ChatMessage message) => new()
    {
        Role = message.Role.Value,
        Text = string.IsNullOrEmpty(message.Text) ? null : message.Text,
        ToolCalls = [.. message.Contents.OfType<FunctionCallContent>().Select(c => new RecordedToolCall { Id = c.CallId, Name = c.Name, Arguments = JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()), Blocked = AgentTools.IsBlocked(c) ? true : null })],
        ToolResults = [.. message.Contents.OfType<FunctionResultContent>().Select(r => new RecordedToolResult { Id = r.CallId, Result = r.Result?.ToString() })],
    };

    private static ChatMessage ToMessage(RecordedMessage message)
    {
        var contents = new List<AIContent>();
        if (message.Text is not null)
        {
            contents.Add(new TextContent(message.Text));
        }

        contents.AddRange(message.ToolCalls.Select(c => new FunctionCallContent(c.Id, c.Name, Arguments(c.Arguments))
        {
            AdditionalProperties = c.Blocked == true ? new AdditionalPropertiesDictionary { [AgentTools.BlockedProperty] = true } : null,
        }));
        contents.AddRange(message.ToolResults.Select(r => new FunctionResultContent(r.Id, r.Result)));
        return new ChatMessage(new ChatRole(message.Role), contents);
    }

    private static Dictionary<string, object?> Arguments(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)?.ToDictionary(p => p.Key, p => (object?)p.Value) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
