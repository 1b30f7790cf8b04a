namespace Misalignment.Eval;

/// <summary>How the agent is told to act.</summary>
public enum ToolMode
{
    /// <summary>The agent writes XML-tagged <c>tool_use</c> blocks in its answer (the reference protocol).</summary>
    Text,

    /// <summary>The agent calls function tools (<c>send_email</c>, <c>forward_email</c>, <c>cancel_alert</c>).</summary>
    Native,
}
