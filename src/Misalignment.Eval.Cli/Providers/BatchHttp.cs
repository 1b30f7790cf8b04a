using Misalignment.Eval.Running;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// The batcher in the provider clients' HTTP pipelines (<c>--batch</c>, <c>--batch-judge</c>): for a provider whose
/// entry has a batch protocol (<see cref="ProviderEntry.Batch"/>), a <see cref="BatchingHandler"/> outermost, so the
/// batch holds the requests before anything else sees them; other providers get none and run online. With
/// <c>--batch</c> every such client gets one; with <c>--batch-judge</c> alone only the judge's.
/// </summary>
internal static class BatchHttp
{
    /// <summary>The handler factories a run's spec asks for: the batcher when it batches the models or the judge (<paramref name="judge"/>, its spec), else none.</summary>
    public static IReadOnlyList<Func<ProviderEntry, ProviderRequest, DelegatingHandler?>> Factories(ExecutionSpec execution, TimeProvider? time = null, string? judge = null)
    {
        ArgumentNullException.ThrowIfNull(execution);
        bool judgeOnly = !execution.Batch && execution.BatchJudge && judge is not null;
        if (!execution.Batch && !judgeOnly)
        {
            return [];
        }

        var settings = BatchSettings.From(execution);

        // The batch API's own calls (an upload of up to 200 MB, a download of the results) are bounded by the batcher's
        // limits; the protocol's SDK client must not cut them at an online call's timeout first.
        var longest = settings.SubmitTimeout > settings.ResultsTimeout ? settings.SubmitTimeout : settings.ResultsTimeout;
        return [(entry, request) => entry.Batch is { } protocol && (!judgeOnly || request.Spec.Raw == judge)
            ? new BatchingHandler(protocol(request.AttemptTimeout < longest ? request with { AttemptTimeout = longest } : request), settings, time)
            : null];
    }

    /// <summary>The batcher, when the spec batches the models or the judge (<paramref name="judge"/>), outside the handlers of <paramref name="inner"/>.</summary>
    public static ProviderHttp Around(ProviderHttp inner, ExecutionSpec execution, string? judge = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner with { Handlers = [.. Factories(execution, judge: judge), .. inner.Handlers] };
    }

    /// <summary>Whether a spec's provider has a batch protocol here.</summary>
    public static bool HasBatchApi(string provider) => ProviderFactory.Entries.Any(e => e.Info.Id == provider && e.Batch is not null);
}
