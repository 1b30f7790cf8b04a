using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>
/// The rate limits of a run, built once from the spec: a model's own limit (its entry, or the default), its
/// provider's and every pool whose pattern matches it. Provider and pool budgets are shared by every client they
/// apply to, the judge's included (it spends the same provider's requests).
/// </summary>
internal sealed class RateLimitPlan(RateLimitSpec limits, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, SmoothRateLimiter> _shared = new(StringComparer.Ordinal);

    /// <summary>The model's own limit, if any: its entry by spec or model id, else the default.</summary>
    public static RateLimit? OwnLimit(RateLimitSpec limits, string spec) =>
        limits.Models.GetValueOrDefault(spec) ?? limits.Models.GetValueOrDefault(ModelResolver.ModelOf(spec)) ?? limits.Default;

    /// <summary>Wraps a target model's client with every budget that applies to it.</summary>
    public IChatClient ForModel(string spec, IChatClient client, out Func<long> waits) =>
        Wrap(client, [(Key: $"model:{spec}", Limit: OwnLimit(limits, spec)), .. Shared(spec)], out waits);

    /// <summary>Wraps the judge's client with its provider's and pools' request budgets (not a model's own).</summary>
    public IChatClient ForJudge(string spec, IChatClient client) =>
        Wrap(client, [.. Shared(spec).Select(p => (p.Key, p.Limit is null ? null : new RateLimit { RequestsPerMinute = p.Limit.RequestsPerMinute }))], out _);

    public void Dispose()
    {
        foreach (var limiter in _shared.Values)
        {
            limiter.Dispose();
        }
    }

    private IEnumerable<(string Key, RateLimit? Limit)> Shared(string spec)
    {
        string provider = ModelResolver.ProviderOf(spec);
        yield return ($"provider:{provider}", limits.Providers.GetValueOrDefault(provider));
        foreach (var (name, pool) in limits.Pools)
        {
            if (pool.Models.Any(pattern => Matches(pattern, spec) || Matches(pattern, ModelResolver.ModelOf(spec))))
            {
                yield return ($"pool:{name}", pool);
            }
        }
    }

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

    private static bool Matches(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
