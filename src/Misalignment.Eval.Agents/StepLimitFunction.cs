using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Agents;

/// <summary>
/// Wraps every function the agent may call (the scenario's and its own) for one run: when a call comes in the
/// model call that reaches the step limit, the function still runs, and the agent's function-invocation loop is told
/// to stop after this round (<see cref="FunctionInvocationContext.Terminate"/>), so no further model call is made.
/// </summary>
internal sealed class StepLimitFunction(AIFunction inner, int maxSteps, StepLimitFunction.Counter counter) : DelegatingAIFunction(inner)
{
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (FunctionInvokingChatClient.CurrentContext is { } context && context.Iteration + 1 >= maxSteps)
        {
            context.Terminate = true;
            counter.Reached = true;
        }

        return base.InvokeCoreAsync(arguments, cancellationToken);
    }

    /// <summary>Whether a run reached its step limit.</summary>
    internal sealed class Counter
    {
        public bool Reached { get; set; }
    }
}
