using Microsoft.Extensions.AI;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Tests.Readme;

/// <summary>The README's embedding example, kept compiling and running by <see cref="ReadmeTests"/>.</summary>
internal static class ReadmeExample
{
    public static async Task<string> RunAsync(IChatClient chatClient)
    {
        // begin README example
        var catalog = ScenarioCatalog.CreateBuiltIn();
        var condition = Condition.Parse("blackmail_explicit-america_replacement");
        ScenarioPrompt prompt = catalog.Render(condition, new RenderOptions { Variant = PromptVariant.Prod });

        // Any Microsoft.Extensions.AI IChatClient (OpenAI, Anthropic, Ollama, your own agent) is the system under test.
        IChatModel model = new ChatClientModel("my-model", chatClient, new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 4000 });
        ModelResponse response = await model.RespondAsync(new ModelRequest { Prompt = prompt, SampleIndex = 1 });
        Console.WriteLine($"{prompt.ConditionId}: {response.Text}");
        // end README example
        return response.Text;
    }
}
