namespace Misalignment.Eval.Running;

/// <summary>How many calls may be in flight at once, per provider and per model (both limits apply).</summary>
public sealed record ConcurrencySpec
{
    /// <summary>The limit per provider (e.g. <c>openai: 100</c>).</summary>
    public IReadOnlyDictionary<string, int> Providers { get; init; } = new Dictionary<string, int>();

    /// <summary>The limit per model name.</summary>
    public IReadOnlyDictionary<string, int> Models { get; init; } = new Dictionary<string, int>();

    /// <summary>The limit of a model that <see cref="Models"/> does not name (default 4).</summary>
    public int Default { get; init; } = 4;
}
