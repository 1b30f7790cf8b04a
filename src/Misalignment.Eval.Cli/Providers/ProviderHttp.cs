namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// What the provider clients' HTTP pipelines hold for one command: factories of the handlers each client sends
/// through (fresh ones per client), outermost first. A factory returns <see langword="null"/> for a provider it does
/// not apply to.
/// </summary>
internal sealed record ProviderHttp
{
    /// <summary>Nothing between the SDKs and the network.</summary>
    public static ProviderHttp None { get; } = new();

    /// <summary>The handler factories, outermost first.</summary>
    public IReadOnlyList<Func<ProviderEntry, ProviderRequest, DelegatingHandler?>> Handlers { get; init; } = [];

    /// <summary>The handlers for one client of <paramref name="entry"/>'s provider, outermost first.</summary>
    public IReadOnlyList<DelegatingHandler> HandlersFor(ProviderEntry entry, ProviderRequest request) =>
        [.. Handlers.Select(create => create(entry, request)).OfType<DelegatingHandler>()];
}
