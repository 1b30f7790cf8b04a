using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// The batcher in the provider clients' HTTP pipelines (<c>--batch</c>): for a provider whose entry has a batch
/// protocol (<see cref="ProviderEntry.Batch"/>), a <see cref="BatchingHandler"/> outermost, so the batch holds the
/// requests before anything else sees them; other providers get none and run online.
/// </summary>
internal static class BatchHttp
{
    /// <summary>The handler factories a run's spec asks for: the batcher when it batches, else none.</summary>
    public static IReadOnlyList<Func<ProviderEntry, ProviderRequest, DelegatingHandler?>> Factories(ExecutionSpec execution, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (!execution.Batch)
        {
            return [];
        }

        var settings = BatchSettings.From(execution);

        // The batch API's own calls (an upload of up to 200 MB, a download of the results) are bounded by the batcher's
        // limits; the protocol's SDK client must not cut them at an online call's timeout first.
        var longest = settings.SubmitTimeout > settings.ResultsTimeout ? settings.SubmitTimeout : settings.ResultsTimeout;
        return [(entry, request) => entry.Batch is { } protocol
            ? new BatchingHandler(protocol(request.AttemptTimeout < longest ? request with { AttemptTimeout = longest } : request), settings, time)
            : null];
    }

    /// <summary>The batcher, when the spec batches, outside the handlers of <paramref name="inner"/>.</summary>
    public static ProviderHttp Around(ProviderHttp inner, ExecutionSpec execution)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner with { Handlers = [.. Factories(execution), .. inner.Handlers] };
    }

    /// <summary>Whether a spec's provider has a batch protocol here.</summary>
    public static bool HasBatchApi(string provider) => ProviderFactory.Entries.Any(e => e.Info.Id == provider && e.Batch is not null);
}
