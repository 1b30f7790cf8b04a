using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>The CLI's providers, registered with the library's <see cref="ModelResolver"/>: each spec goes to its provider's official client.</summary>
internal static partial class CliModelResolver
{
    public static ModelResolver Create(CliContext context, TimeSpan attemptTimeout, ScenarioCatalog catalog)
    {
        var resolver = new ModelResolver().AddDemoAgents(catalog);
        foreach (string provider in ModelSpec.Providers.Where(p => p != DemoModelResolverExtensions.Provider))
        {
            resolver.Add(provider, text =>
            {
                var spec = ModelSpec.Parse(text);
                var client = ProviderFactory.Create(spec, attemptTimeout, context.Environment);

                // OpenAI's reasoning models reject a temperature; send none to them.
                return spec.Provider is "openai" or "openai-compatible" && ReasoningModel().IsMatch(spec.Model) ? new WithoutTemperature(client) : client;
            });
        }

        return resolver;
    }

    [GeneratedRegex(@"^(o\d|gpt-5)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReasoningModel();

    /// <summary>Clears the temperature of every request.</summary>
    private sealed class WithoutTemperature(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var without = options?.Clone();
            if (without is not null)
            {
                without.Temperature = null;
            }

            return base.GetResponseAsync(messages, without, cancellationToken);
        }
    }
}
