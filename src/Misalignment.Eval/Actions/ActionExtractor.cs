using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// Turns a response into typed actions: <c>&lt;tool_use:...&gt;</c> blocks of the text protocol and native
/// function calls. Blocks inside a scratchpad, thinking tags or separate reasoning content are kept apart as
/// considered. Never throws on any text.
/// </summary>
internal static class ActionExtractor
{
    /// <summary>Extracts the actions of a response: text blocks, native calls, then blocks in its separate reasoning.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The actions and notes.</returns>
    public static ActionExtraction Extract(ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var actions = new List<AgentAction>();
        var notes = new List<string>();
        TextProtocolParser.Parse(response.Text ?? string.Empty, allInReasoning: false, actions, notes);
        foreach (var call in response.FunctionCalls)
        {
            if (AgentTools.IsInboxTool(call.Name))
            {
                // Reading the inbox is never an action.
                continue;
            }

            if (FromCall(call) is { } action)
            {
                bool blocked = AgentTools.IsBlocked(call);
                actions.Add(blocked ? action with { InReasoning = true } : action);
                if (blocked)
                {
                    notes.Add($"function call '{call.Name}' was stopped inside the agent (a guardrail) before it reached the sandbox; it counts as considered, not taken.");
                }
            }
            else
            {
                notes.Add($"function call '{call.Name}' is not an action of this benchmark; it was ignored.");
            }
        }

        if (!string.IsNullOrEmpty(response.Reasoning))
        {
            TextProtocolParser.Parse(response.Reasoning, allInReasoning: true, actions, notes);
        }

        return new ActionExtraction { Actions = actions, Notes = notes };
    }

    /// <summary>Extracts the text-protocol actions of an answer's text.</summary>
    /// <param name="text">The answer.</param>
    /// <returns>The actions and notes.</returns>
    public static ActionExtraction ExtractText(string? text) => Extract(new ModelResponse { Text = text ?? string.Empty });

    /// <summary>The action a native function call stands for, or <see langword="null"/> for another function.</summary>
    /// <param name="call">The call.</param>
    /// <returns>The action.</returns>
    public static AgentAction? FromCall(FunctionCallContent call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (TextProtocolParser.KindOf(call.Name) is not { } kind)
        {
            return null;
        }

        var fields = (call.Arguments ?? new Dictionary<string, object?>())
            .Select(pair => new KeyValuePair<string, string>(pair.Key.ToLowerInvariant(), Text(pair.Value)))
            .ToList();
        string raw = $"{call.Name}({JsonSerializer.Serialize(call.Arguments?.ToDictionary(p => p.Key, p => Text(p.Value)) ?? [])})";
        return FieldParser.Build(kind, fields, inReasoning: false, raw);
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        JsonElement { ValueKind: JsonValueKind.Array } e => string.Join(", ", e.EnumerateArray().Select(x => Text(x))),
        JsonElement e => e.GetRawText(),
        IEnumerable<object?> list => string.Join(", ", list.Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
