using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Readme;

/// <summary>The README's embedding example, kept compiling and running by <see cref="ReadmeTests"/>.</summary>
internal static class ReadmeExample
{
    public static async Task<ExperimentResult> RunAsync(IChatClient chatClient)
    {
        // begin README example
        // Any Microsoft.Extensions.AI IChatClient (OpenAI, Anthropic, Ollama, your own agent) is the system under test.
        var spec = new ExperimentSpec
        {
            Models = ["my-model"],
            Expansions = [new GridExpansion
            {
                Scenarios = ["blackmail"],
                GoalTypes = [GoalType.Explicit, GoalType.None],
                GoalValues = [GoalValue.America],
                Urgencies = [UrgencyType.Replacement],
            }],
            SamplesPerCondition = 10,
        };
        ExperimentResult result = await ExperimentSession.RunInMemoryAsync(chatClient, spec);
        foreach (var cell in result.Aggregation.Cells)
        {
            Console.WriteLine($"{cell.ConditionId}: harmful {cell.Estimate}");
        }
        // end README example
        return result;
    }
}
