namespace Misalignment.Eval.Running;

/// <summary>Which rule of <see cref="RateLimitSpec.Resolve"/> gave a model its limit.</summary>
internal enum RateLimitSource
{
    /// <summary>No limit applies.</summary>
    None,

    /// <summary>The model's own entry (<c>rate_limits.models</c> or <c>model_overrides</c>).</summary>
    Override,

    /// <summary>A pool whose pattern matches the model; the pool's budget is shared.</summary>
    Pool,

    /// <summary><c>rate_limits.default</c>.</summary>
    Default,
}

/// <summary>The limit that applies to one model.</summary>
/// <param name="Limit">The limit, or <see langword="null"/> for none.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Key">The override's model name or the pool's name; <see langword="null"/> for the default and for none.</param>
internal sealed record RateLimitResolution(RateLimit? Limit, RateLimitSource Source, string? Key)
{
    /// <summary>The key of the shared budget (<c>pool:NAME</c>, <c>model:NAME</c>, <c>default:MODEL</c>), for callers that keep one limiter per budget.</summary>
    /// <param name="model">The model that was resolved (the default limit applies to each model on its own).</param>
    /// <returns>The budget key, or <see langword="null"/> when no limit applies.</returns>
    public string? BudgetKey(string model) => Source switch
    {
        RateLimitSource.Pool => $"pool:{Key}",
        RateLimitSource.Override => $"model:{Key}",
        RateLimitSource.Default => $"default:{model}",
        _ => null,
    };
}
