using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Agents;

/// <summary>
/// A scenario tool (an action or an inbox tool) as an <see cref="AIFunction"/> the agent can call: it has the
/// declaration's name, description and schema, and the scenario's sandbox answers it. Each call that reaches it is
/// noted by id, so a call that the agent's own middleware stopped on the way is known as blocked.
/// </summary>
internal sealed class SandboxFunction : AIFunction
{
    private readonly AIFunctionDeclaration _declaration;
    private readonly ScenarioPrompt _prompt;
    private readonly ConcurrentDictionary<string, bool> _reached;

    public SandboxFunction(AIFunctionDeclaration declaration, ScenarioPrompt prompt, ConcurrentDictionary<string, bool> reached)
    {
        _declaration = declaration;
        _prompt = prompt;
        _reached = reached;
    }

    public override string Name => _declaration.Name;

    public override string Description => _declaration.Description;

    public override JsonElement JsonSchema => _declaration.JsonSchema;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (FunctionInvokingChatClient.CurrentContext?.CallContent.CallId is { Length: > 0 } id)
        {
            _reached[id] = true;
        }

        return ValueTask.FromResult<object?>(ScenarioSandbox.Answer(Name, arguments, _prompt));
    }
}
