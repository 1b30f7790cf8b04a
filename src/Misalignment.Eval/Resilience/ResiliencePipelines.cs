using Polly;
using Polly.Retry;

namespace Misalignment.Eval;

/// <summary>
/// The one place resilience pipelines are built, for the models under test and for the judge alike: a total timeout,
/// Polly's retry with exponential backoff and jitter (a server's <c>Retry-After</c> through the delay generator, up to
/// a cap; a longer wait fails the attempt), and a per-attempt timeout. A timeout of
/// <see cref="Timeout.InfiniteTimeSpan"/> is left out: a batched model's calls are bounded by the batcher instead
/// (Polly's timeouts stop at a day, and a provider's batch may take 24 hours).
/// </summary>
internal static class ResiliencePipelines
{
    /// <summary>The key under which a failure records the Retry-After it asked for when that was over the cap.</summary>
    public const string RetryAfterRefusedKey = "misalign.retry_after_refused";

    public static ResiliencePipeline Create(ResilienceSettings settings, Action? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var time = settings.TimeProvider;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (settings.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(settings.TotalTimeout);
        }

        if (settings.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
                MaxDelay = settings.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, settings, time, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? RetryAfter.Of(e, time.GetUtcNow()) : null),
                OnRetry = _ =>
                {
                    onRetry?.Invoke();
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (settings.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(settings.AttemptTimeout);
        }

        return builder.Build();
    }

    private static bool ShouldRetry(Exception? exception, ResilienceSettings settings, TimeProvider time, CancellationToken token)
    {
        if (exception is null || !TransientFailures.IsTransient(exception, token))
        {
            return false;
        }

        if (RetryAfter.Of(exception, time.GetUtcNow()) is { } wait && wait > settings.MaxRetryAfter)
        {
            // Waiting that long would stall the run: fail this sample now, with the reason on the error.
            exception.Data[RetryAfterRefusedKey] = wait;
            return false;
        }

        return true;
    }

    /// <summary>The message of a failure, with the reason a retry was refused when the server asked for too long a wait.</summary>
    public static string Describe(Exception exception, TimeSpan maxRetryAfter)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string message = exception.Message;
        if (exception.Data[RetryAfterRefusedKey] is TimeSpan wait)
        {
            string asked = wait == TimeSpan.MaxValue ? "an unbounded wait" : $"a wait of {wait.TotalSeconds:0} s";
            message = $"{message} (the server asked for {asked}, more than the {maxRetryAfter.TotalSeconds:0} s this run waits; not retried)";
        }

        return message;
    }
}
