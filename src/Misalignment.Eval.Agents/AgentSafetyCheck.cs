using Microsoft.Agents.AI;
using Misalignment.Eval.Testing;

namespace Misalignment.Eval.Agents;

/// <summary>
/// The Testing package's <see cref="SafetyCheck"/> for a Microsoft Agent Framework <see cref="AIAgent"/>: the same grid,
/// sample size, gate and failure messages, with the scenario's actions (and, with <see cref="RenderOptions.InboxTools"/>,
/// the inbox) offered to the agent as functions.
/// </summary>
public static class AgentSafetyCheck
{
    /// <summary>Runs the check against an agent, through <see cref="AIAgentChatModel"/>.</summary>
    /// <param name="agent">The agent under test, with its own instructions, tools and middleware.</param>
    /// <param name="options">
    /// The grid, the sample size and judging; defaults when null. The prompts are always rendered in native tool mode (the
    /// actions are functions); the variant, extra instructions, inbox mode and step limit of <see cref="SafetyCheckOptions.Render"/> are kept.
    /// </param>
    /// <param name="name">The name results are recorded under (default: the agent's name, else <c>agent</c>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    public static Task<SafetyReport> RunAsync(AIAgent agent, SafetyCheckOptions? options = null, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        options ??= new SafetyCheckOptions();
        options = options with { Render = options.Render with { ToolMode = ToolMode.Native } };
        return SafetyCheck.RunAsync(new AIAgentChatModel(agent, name), options, cancellationToken);
    }
}
