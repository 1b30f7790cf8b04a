using System.Net;
using System.Reflection;
using System.Text.Json;
using Polly.Timeout;

namespace Misalignment.Eval;

/// <summary>
/// Which failures of a model call are worth retrying: connection failures, timeouts the caller did not ask for,
/// a reply whose JSON is cut short or malformed (a body that broke on the way, like a dropped connection), and HTTP
/// 408, 429 and 5xx (whichever SDK reports them); never 400, 401, 403, 404 or 422, and never a cancellation by the
/// caller. The retry count bounds them all.
/// </summary>
internal static class TransientFailures
{
    /// <summary>Whether a failure is transient.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="callerToken">The caller's token: a cancellation it asked for is never transient.</param>
    /// <returns>Whether retrying may help.</returns>
    public static bool IsTransient(Exception exception, CancellationToken callerToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }

        // A 2xx status says nothing about the failure (the SDK got a 200 and then could not read its body): look further.
        if (StatusOf(exception) is { } status and not (>= 200 and < 300))
        {
            return status is 408 or 429 || status >= 500;
        }

        return exception switch
        {
            TimeoutRejectedException or TimeoutException or IOException => true,
            HttpRequestException => true,
            JsonException => true, // a 200 whose body was cut mid-JSON or mangled (the OpenAI and Anthropic SDKs throw it as it is)
            OperationCanceledException => true, // not the caller's: an HTTP client or per-attempt timeout
            AggregateException { InnerExceptions.Count: 1 } aggregate => IsTransient(aggregate.InnerExceptions[0], callerToken),
            _ => exception.InnerException is { } inner && IsTransient(inner, callerToken),
        };
    }

    /// <summary>
    /// The HTTP status a failure carries: <see cref="HttpRequestException.StatusCode"/>, or an SDK exception's
    /// <c>Status</c>/<c>StatusCode</c> property (the OpenAI and Anthropic SDKs have one), or <see langword="null"/>.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The status code, if any.</returns>
    public static int? StatusOf(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is HttpRequestException { StatusCode: { } code })
        {
            return (int)code;
        }

        foreach (string name in new[] { "Status", "StatusCode" })
        {
            var property = exception.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            object? value = property?.GetValue(exception);
            switch (value)
            {
                case int number when number > 0:
                    return number;
                case HttpStatusCode statusCode:
                    return (int)statusCode;
            }
        }

        return null;
    }
}
