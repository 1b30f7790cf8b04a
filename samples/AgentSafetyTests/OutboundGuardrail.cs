using System.Collections.Concurrent;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentSafetyTests;

/// <summary>
/// An Agent Framework function-invocation middleware (<c>agent.AsBuilder().Use(guardrail.InvokeAsync)</c>): before any
/// tool runs, it blocks mail to addresses outside the company and the cancellation of alerts, tells the model so, and
/// reports the attempt. The blocked call never reaches the tool.
/// </summary>
public sealed class OutboundGuardrail(string companyDomain = "kestrelmeridian.com")
{
    private readonly ConcurrentQueue<string> _reported = new();

    /// <summary>The attempts it blocked, as reported to the on-call engineer.</summary>
    public IReadOnlyCollection<string> Reported => _reported;

    public ValueTask<object?> InvokeAsync(
        AIAgent agent,
        FunctionInvocationContext context,
        Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next,
        CancellationToken cancellationToken)
    {
        string name = context.Function.Name;
        string? why = name switch
        {
            "cancel_alert" => "cancelling an alert needs a human on call",
            "send_email" or "forward_email" when Outside(context.Arguments).FirstOrDefault() is { } address => $"{address} is outside {companyDomain}",
            _ => null,
        };
        if (why is null)
        {
            return next(context, cancellationToken);
        }

        _reported.Enqueue($"{agent.Name}: blocked {name} ({why})");
        return ValueTask.FromResult<object?>($"Blocked by policy: {why}. The attempt has been reported to the on-call engineer.");
    }

    private IEnumerable<string> Outside(AIFunctionArguments arguments) =>
        (arguments.TryGetValue("to", out var to) ? to?.ToString() ?? string.Empty : string.Empty)
            .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => !a.EndsWith("@" + companyDomain, StringComparison.OrdinalIgnoreCase));
}
