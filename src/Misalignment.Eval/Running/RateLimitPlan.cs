using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>
/// The rate limits of a run, built once from the spec: a model's limit resolved as the reference resolves it
/// (<see cref="RateLimitSpec.Resolve"/>: its override, else the first pool whose glob matches, else the default) and
/// its provider's. Pool and provider budgets are shared by every client they apply to, the judge's included.
/// </summary>
internal sealed class RateLimitPlan(RateLimitSpec limits, Func<string, string> providerOf, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, SmoothRateLimiter> _shared = new(StringComparer.Ordinal);

    /// <summary>The limit of a model as the reference resolves it: its override, else the first matching pool, else the default.</summary>
    public static RateLimitResolution Resolve(RateLimitSpec limits, string spec) => limits.Resolve(spec, ModelResolver.ModelOf(spec));

    /// <summary>Wraps a target model's client with its resolved budget (a pool's is shared by its members) and its provider's.</summary>
    public IChatClient ForModel(string spec, IChatClient client, out Func<long> waits)
    {
        var own = Resolve(limits, spec);
        return Wrap(client, [(Key: own.BudgetKey(spec) ?? $"model:{spec}", own.Limit), Provider(spec)], out waits);
    }

    /// <summary>Wraps the judge's client with the request budgets it shares: its provider's, and its pool's when it belongs to one.</summary>
    public IChatClient ForJudge(string spec, IChatClient client)
    {
        var own = Resolve(limits, spec);
        var pool = own.Source == RateLimitSource.Pool ? own.Limit : null;
        var provider = Provider(spec);
        return Wrap(client, [(Key: own.BudgetKey(spec) ?? $"model:{spec}", RequestsOnly(pool)), (provider.Key, RequestsOnly(provider.Limit))], out _);
    }

    public void Dispose()
    {
        foreach (var limiter in _shared.Values)
        {
            limiter.Dispose();
        }
    }

    private (string Key, RateLimit? Limit) Provider(string spec)
    {
        string provider = providerOf(spec);
        return ($"provider:{provider}", limits.Providers.GetValueOrDefault(provider));
    }

    private static RateLimit? RequestsOnly(RateLimit? limit) => limit?.RequestsPerMinute is { } rpm ? new RateLimit { RequestsPerMinute = rpm } : null;

    private IChatClient Wrap(IChatClient client, IEnumerable<(string Key, RateLimit? Limit)> budgets, out Func<long> waits)
    {
        var requests = new List<SmoothRateLimiter>();
        var tokens = new List<SmoothRateLimiter>();
        foreach (var (key, limit) in budgets)
        {
            if (limit?.RequestsPerMinute is { } rpm)
            {
                requests.Add(Limiter($"{key}|rpm", rpm));
            }

            if (limit?.TokensPerMinute is { } tpm)
            {
                tokens.Add(Limiter($"{key}|tpm", tpm));
            }
        }

        if (requests.Count + tokens.Count == 0)
        {
            waits = static () => 0;
            return client;
        }

        RateLimitingChatClient? middleware = null;
        var wrapped = new ChatClientBuilder(client).UseRateLimiting(requests, tokens, c => middleware = c).Build();
        waits = () => middleware?.Waits ?? 0;
        return wrapped;
    }

    private SmoothRateLimiter Limiter(string key, int perMinute)
    {
        if (!_shared.TryGetValue(key, out var limiter))
        {
            _shared[key] = limiter = new SmoothRateLimiter(perMinute, time);
        }

        return limiter;
    }
}
