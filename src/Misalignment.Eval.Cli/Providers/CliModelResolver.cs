using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// The CLI's providers, registered with the library's <see cref="ModelResolver"/>: each spec goes to its provider's
/// official client; bare names as the reference writes them (<c>gpt-4.1</c>, <c>deepseek-ai/DeepSeek-R1</c>) are
/// routed as the reference routes them.
/// </summary>
internal static partial class CliModelResolver
{
    /// <param name="http">What each provider client sends through (default: nothing).</param>
    /// <param name="promptCache">Whether the Claude clients mark the prefix a condition's samples share for the prompt cache (default: no).</param>
    public static ModelResolver Create(CliContext context, TimeSpan attemptTimeout, ScenarioCatalog catalog, IReadOnlyDictionary<string, string>? overrides = null, ProviderHttp? http = null, bool promptCache = false)
    {
        var resolver = new ModelResolver().AddDemoAgents(catalog);
        resolver.HasBatchApi = spec => BatchHttp.HasBatchApi(resolver.ProviderOf(spec));
        foreach (var entry in ProviderFactory.Entries)
        {
            resolver.Add(entry.Info.Id, text =>
            {
                var spec = ModelSpec.Parse(text, context.Environment, overrides);
                var client = ProviderFactory.Create(spec, attemptTimeout, context.Environment, catalog, http, promptCache);
                bool dropTemperature = RejectsTemperature(spec);
                return dropTemperature || spec.Route.Effort is not null ? new SpecOptions(client, dropTemperature, spec.Route.Effort) : client;
            });
        }

        return resolver.Route(name => ModelResolution.TryResolve(name, overrides, context.Environment, out var route, out _) ? route!.Provider.Id : null);
    }

    /// <summary>OpenAI's reasoning models (o1, o3, o4-mini, gpt-5), wherever they are served, reject a temperature: send none.</summary>
    internal static bool RejectsTemperature(ModelSpec spec) =>
        spec.Route.Provider.IsOpenAiProtocol && ReasoningModel().IsMatch(spec.Model[(spec.Model.LastIndexOf('/') + 1)..]);

    [GeneratedRegex(@"^(o\d|gpt-5)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReasoningModel();

    /// <summary>Applies what a spec says to every request: no temperature for models that reject one, and a reasoning effort.</summary>
    private sealed class SpecOptions(IChatClient inner, bool dropTemperature, ReasoningEffort? effort) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var adjusted = options?.Clone() ?? new ChatOptions();
            if (dropTemperature)
            {
                adjusted.Temperature = null;
            }

            if (effort is { } level)
            {
                adjusted.Reasoning = new ReasoningOptions { Effort = level };
            }

            return base.GetResponseAsync(messages, adjusted, cancellationToken);
        }
    }
}
