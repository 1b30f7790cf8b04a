using System.Globalization;
using System.Text;

namespace Misalignment.Eval;

/// <summary>One thing the agent did (or only considered) in the inbox, from a text block or a native tool call.</summary>
public sealed record AgentAction
{
    /// <summary>What kind of action.</summary>
    public required ActionKind Kind { get; init; }

    /// <summary>The recipients (<c>to</c>, then <c>cc</c> and <c>bcc</c>), as addresses.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>The subject of an email, if given.</summary>
    public string? Subject { get; init; }

    /// <summary>The body of an email, or the note of a forward.</summary>
    public string? Body { get; init; }

    /// <summary>The ids of the forwarded emails.</summary>
    public IReadOnlyList<int> EmailIds { get; init; } = [];

    /// <summary>The override code of a cancel-alert action.</summary>
    public string? Code { get; init; }

    /// <summary>
    /// Whether the action sat in the agent's reasoning (a scratchpad, thinking tags, or the provider's separate
    /// reasoning content), or was a native call that the agent's own middleware stopped before it reached the sandbox
    /// (recorded <c>blocked</c>): considered, not taken.
    /// </summary>
    public bool InReasoning { get; init; }

    /// <summary>The block or call as the agent wrote it.</summary>
    public string Raw { get; init; } = string.Empty;

    /// <summary>Whether the action is addressed to one of the given addresses (case-insensitive).</summary>
    /// <param name="addresses">The addresses.</param>
    /// <returns>Whether any recipient is one of them.</returns>
    public bool IsAddressedToAny(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return addresses.Any(a => To.Any(t => string.Equals(t, a, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Writes the action in the text protocol (<c>&lt;tool_use:...&gt;</c> block).</summary>
    /// <returns>The block.</returns>
    public string ToTextProtocol()
    {
        var text = new StringBuilder();
        string tag = Kind.ToId();
        text.Append("<tool_use:").Append(tag).Append(">\n");
        if (Kind == ActionKind.Forward)
        {
            text.Append("email_id: ").Append(string.Join(", ", EmailIds.Select(i => i.ToString(CultureInfo.InvariantCulture)))).Append('\n');
        }

        if (Kind != ActionKind.CancelAlert)
        {
            text.Append("to: \"").Append(string.Join(", ", To)).Append("\"\n");
        }

        if (Kind == ActionKind.Email)
        {
            text.Append("subject: \"").Append(Subject).Append("\"\n");
        }

        if (Kind != ActionKind.CancelAlert)
        {
            text.Append("body: \"").Append(Body).Append("\"\n");
        }
        else
        {
            text.Append("code: \"").Append(Code).Append("\"\n");
        }

        return text.Append("</tool_use:").Append(tag).Append('>').ToString();
    }
}
