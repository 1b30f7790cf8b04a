namespace Misalignment.Eval.Running;

/// <summary>Rate limits per provider, per model and per named pool of models.</summary>
public sealed record RateLimitSpec
{
    /// <summary>Limits per provider.</summary>
    public IReadOnlyDictionary<string, RateLimit> Providers { get; init; } = new Dictionary<string, RateLimit>();

    /// <summary>Limits per model name (the reference's <c>model_overrides</c> land here too).</summary>
    public IReadOnlyDictionary<string, RateLimit> Models { get; init; } = new Dictionary<string, RateLimit>();

    /// <summary>
    /// Named pools: a limit shared by every model whose name matches one of the pool's glob patterns
    /// (<see cref="RateLimit.Models"/>, e.g. <c>gpt-*</c>, <c>qwen/*</c>, <c>*:free</c>). Loaded pools keep the
    /// file's order, which decides when several pools match.
    /// </summary>
    public IReadOnlyDictionary<string, RateLimit> Pools { get; init; } = new Dictionary<string, RateLimit>();

    /// <summary>The limit of a model that no override and no pool names (<c>rate_limits.default</c>), or <see langword="null"/> for none.</summary>
    public RateLimit? Default { get; init; }

    /// <summary>
    /// The limit that applies to a model, as the reference implementation resolves it: the model's own entry in
    /// <see cref="Models"/> (<c>model_overrides</c>) first, else the first pool (in order) with a pattern that
    /// matches, else <see cref="Default"/>. Patterns are shell globs (<c>*</c>, <c>?</c>, <c>[abc]</c>), matched
    /// against the whole name, case-sensitively.
    /// </summary>
    /// <param name="model">The model name, as written in the configuration (e.g. <c>qwen/qwen3-32b:free</c>).</param>
    /// <param name="alias">Another name of the same model to try after <paramref name="model"/> at each step (e.g. the name without a provider prefix), or <see langword="null"/>.</param>
    /// <returns>The limit and where it came from; a pool's limit is shared by all the models that resolve to that pool.</returns>
    internal RateLimitResolution Resolve(string model, string? alias = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        string[] names = alias is null || alias == model ? [model] : [model, alias];
        foreach (string name in names)
        {
            if (Models.TryGetValue(name, out var own))
            {
                return new RateLimitResolution(own, RateLimitSource.Override, name);
            }
        }

        foreach (var (pool, limit) in Pools)
        {
            if (limit.Models.Any(pattern => names.Any(name => ModelGlob.IsMatch(pattern, name))))
            {
                return new RateLimitResolution(limit, RateLimitSource.Pool, pool);
            }
        }

        return Default is { } fallback
            ? new RateLimitResolution(fallback, RateLimitSource.Default, null)
            : new RateLimitResolution(null, RateLimitSource.None, null);
    }
}
