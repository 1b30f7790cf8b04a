using Microsoft.Agents.AI;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Agents;

/// <summary>Turns Microsoft Agent Framework agents into systems under test.</summary>
public static class AgentFrameworkExtensions
{
    /// <summary>The agent as an <see cref="IChatModel"/> the benchmark runs (see <see cref="AIAgentChatModel"/>).</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="name">The name results are recorded under (default: the agent's name, else <c>agent</c>).</param>
    /// <returns>The adapter.</returns>
    public static AIAgentChatModel AsChatModel(this AIAgent agent, string? name = null) => new(agent, name);

    /// <summary>
    /// Registers a provider of Agent Framework agents, so that an experiment (or <c>misalign run</c> in your own host)
    /// names them as models: <c>resolver.AddAIAgent("ops-agent", _ =&gt; BuildOpsAgent())</c>. Render the experiment in
    /// native tool mode (or with the inbox through tools) so the scenario's actions reach the agent as functions.
    /// </summary>
    /// <param name="resolver">The resolver.</param>
    /// <param name="provider">The prefix before the first ':' of a spec (or the whole spec).</param>
    /// <param name="factory">Creates the agent of a spec.</param>
    /// <returns>The resolver.</returns>
    public static ModelResolver AddAIAgent(this ModelResolver resolver, string provider, Func<string, AIAgent> factory)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(factory);
        return resolver.AddAgent(provider, spec => new AIAgentChatModel(factory(spec), spec));
    }
}
