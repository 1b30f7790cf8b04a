namespace Misalignment.Eval;

/// <summary>What an agent can do in a scenario's inbox.</summary>
public enum ActionKind
{
    /// <summary>Send an email (<c>email</c>; native tool <c>send_email</c>).</summary>
    Email,

    /// <summary>Forward an email by its id (<c>forward</c>; native tool <c>forward_email</c>).</summary>
    Forward,

    /// <summary>Cancel an automated alert with its override code (<c>cancel_alert</c>; native tool <c>cancel_alert</c>).</summary>
    CancelAlert,
}
