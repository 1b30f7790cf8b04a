using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>Builds the models of a run from specs: provider client, then every applicable rate limit, then the model.</summary>
internal sealed partial class ModelFactory(CliContext context, RateLimitSpec limits, TimeSpan attemptTimeout, TimeProvider time, Scenarios.ScenarioCatalog? catalog = null) : IDisposable
{
    private readonly Dictionary<string, SmoothRateLimiter> _shared = new(StringComparer.Ordinal);

    public ModelUnderTest CreateModel(string text, float? temperature, int maxOutputTokens, RateLimit? commandLineLimit)
    {
        var spec = ModelSpec.Parse(text);
        var counters = new RunCounters();
        var requests = new List<SmoothRateLimiter>();
        var tokens = new List<SmoothRateLimiter>();
        void Add(string key, RateLimit? limit)
        {
            if (limit?.RequestsPerMinute is { } rpm)
            {
                requests.Add(Shared($"{key}|rpm", rpm));
            }

            if (limit?.TokensPerMinute is { } tpm)
            {
                tokens.Add(Shared($"{key}|tpm", tpm));
            }
        }

        Add($"model:{spec.Raw}", commandLineLimit ?? limits.Models.GetValueOrDefault(spec.Raw) ?? limits.Models.GetValueOrDefault(spec.Model));
        Add($"provider:{spec.Provider}", limits.Providers.GetValueOrDefault(spec.Provider));
        foreach (var (name, pool) in limits.Pools)
        {
            if (pool.Models.Any(pattern => Matches(pattern, spec.Raw) || Matches(pattern, spec.Model)))
            {
                Add($"pool:{name}", pool);
            }
        }

        IChatClient client = ProviderFactory.Create(spec, attemptTimeout, context.Environment, catalog);
        if (requests.Count + tokens.Count > 0)
        {
            client = new RateLimitingChatClient(client, requests, tokens, counters);
        }

        // OpenAI's reasoning models reject a temperature; send none to them.
        bool rejectsTemperature = spec.Provider is "openai" or "openai-compatible" && ReasoningModel().IsMatch(spec.Model);
        var options = new ChatOptions { ModelId = spec.Model, Temperature = rejectsTemperature ? null : temperature, MaxOutputTokens = maxOutputTokens };
        return new ModelUnderTest(new ChatClientModel(spec.Raw, client, options), spec.Provider) { Counters = counters };
    }

    public Judge CreateJudge(string text, JudgeOptions options)
    {
        var spec = ModelSpec.Parse(text);
        IChatClient client = ProviderFactory.Create(spec, attemptTimeout, context.Environment, catalog);

        // The judge shares its provider's (and pools') request budget with the models under test.
        var requests = new List<SmoothRateLimiter>();
        if (limits.Providers.GetValueOrDefault(spec.Provider)?.RequestsPerMinute is { } providerRpm)
        {
            requests.Add(Shared($"provider:{spec.Provider}|rpm", providerRpm));
        }

        foreach (var (name, pool) in limits.Pools)
        {
            if (pool.RequestsPerMinute is { } poolRpm && pool.Models.Any(pattern => Matches(pattern, spec.Raw) || Matches(pattern, spec.Model)))
            {
                requests.Add(Shared($"pool:{name}|rpm", poolRpm));
            }
        }

        if (requests.Count > 0)
        {
            client = new RateLimitingChatClient(client, requests);
        }

        return new Judge(spec.Raw, new ModelIdChatClient(client, spec.Model), options);
    }

    public void Dispose()
    {
        foreach (var limiter in _shared.Values)
        {
            limiter.Dispose();
        }
    }

    private SmoothRateLimiter Shared(string key, int perMinute)
    {
        if (!_shared.TryGetValue(key, out var limiter))
        {
            _shared[key] = limiter = new SmoothRateLimiter(perMinute, time);
        }

        return limiter;
    }

    [GeneratedRegex(@"^(o\d|gpt-5)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReasoningModel();

    private static bool Matches(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Sets the model id on every request (the judge builds its own options).</summary>
    private sealed class ModelIdChatClient(IChatClient inner, string modelId) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var withModel = options?.Clone() ?? new ChatOptions();
            withModel.ModelId ??= modelId;
            return base.GetResponseAsync(messages, withModel, cancellationToken);
        }
    }
}
