namespace Misalignment.Eval.Running;

/// <summary>Rate limits per provider, per model and per named pool of models.</summary>
public sealed record RateLimitSpec
{
    /// <summary>Limits per provider.</summary>
    public IReadOnlyDictionary<string, RateLimit> Providers { get; init; } = new Dictionary<string, RateLimit>();

    /// <summary>Limits per model name (the reference's <c>model_overrides</c> land here too).</summary>
    public IReadOnlyDictionary<string, RateLimit> Models { get; init; } = new Dictionary<string, RateLimit>();

    /// <summary>Named pools: a limit shared by every model whose name matches one of the pool's patterns.</summary>
    public IReadOnlyDictionary<string, RateLimit> Pools { get; init; } = new Dictionary<string, RateLimit>();

    /// <summary>The limit of every model that <see cref="Models"/> does not name (e.g. the CLI's <c>--rpm</c>), or <see langword="null"/>.</summary>
    public RateLimit? Default { get; init; }
}
