using System.Collections.Concurrent;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// The <see cref="ProviderHttp"/> factory of the adaptive rate limiter: an <see cref="AdaptiveRateLimitHandler"/> for each
/// client of a provider that announces its limits in headers (the OpenAI-protocol providers and Claude's), none for the
/// others (the demo agents, Ollama). Clients of the same provider, endpoint and model in one command (a model and a judge
/// of the same spec) share one <see cref="AnnouncedRateLimits"/>: they spend the same budget.
/// </summary>
internal static class AdaptiveLimitsHttp
{
    /// <summary>A factory with its own shared state (one per command).</summary>
    /// <param name="time">The clock of every wait.</param>
    public static Func<ProviderEntry, ProviderRequest, DelegatingHandler?> Factory(TimeProvider time)
    {
        var shared = new ConcurrentDictionary<string, AnnouncedRateLimits>(StringComparer.Ordinal);
        return (entry, request) =>
        {
            if (!entry.Info.IsOpenAiProtocol && !entry.Info.IsAnthropicApi)
            {
                return null;
            }

            string key = $"{entry.Info.Id}|{request.Spec.Endpoint}|{request.Spec.Model}";
            return new AdaptiveRateLimitHandler(shared.GetOrAdd(key, _ => new AnnouncedRateLimits(time)), Cap(request.AttemptTimeout), time);
        };
    }

    /// <summary>The commands' HTTP: the adaptive limiter when on, else nothing.</summary>
    public static ProviderHttp For(bool adaptive) =>
        adaptive ? new ProviderHttp { Handlers = [Factory(TimeProvider.System)] } : ProviderHttp.None;

    /// <summary>A wait takes at most a minute, and at most half an attempt's timeout (the attempt still has time to run).</summary>
    internal static TimeSpan Cap(TimeSpan attemptTimeout) =>
        attemptTimeout / 2 < AdaptiveRateLimitHandler.DefaultCap ? attemptTimeout / 2 : AdaptiveRateLimitHandler.DefaultCap;
}
