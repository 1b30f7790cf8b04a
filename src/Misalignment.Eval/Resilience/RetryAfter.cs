using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;

namespace Misalignment.Eval;

/// <summary>
/// Finds how long a server asked the client to wait (<c>retry-after-ms</c> or <c>retry-after</c>) in a failure,
/// whichever SDK threw it: <see cref="Exception.Data"/>, an <c>HttpResponseMessage</c> or headers property, or a
/// System.ClientModel <c>GetRawResponse()</c> (the OpenAI SDK).
/// </summary>
internal static class RetryAfter
{
    /// <summary>The key under which <see cref="Exception.Data"/> may carry a <see cref="TimeSpan"/> to wait.</summary>
    public const string DataKey = "Retry-After";

    /// <summary>The wait the failure asks for, or <see langword="null"/>.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="now">The current time, for HTTP-date values.</param>
    /// <returns>The wait.</returns>
    public static TimeSpan? Of(Exception exception, DateTimeOffset now)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current.Data[DataKey] is TimeSpan data)
            {
                return data;
            }

            if (FromObject(current, now) is { } wait)
            {
                return wait;
            }
        }

        return null;
    }

    /// <summary>Parses header values: <c>retry-after-ms</c> (milliseconds) wins over <c>retry-after</c> (seconds or an HTTP date).</summary>
    /// <param name="retryAfterMs">The <c>retry-after-ms</c> value, if any.</param>
    /// <param name="retryAfter">The <c>retry-after</c> value, if any.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The wait, or <see langword="null"/>.</returns>
    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) && ms >= 0)
        {
            return FromMilliseconds(ms);
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
        {
            return FromMilliseconds(seconds * 1000);
        }

        return DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date > now ? date - now : TimeSpan.Zero
            : null;
    }

    /// <summary>A wait in milliseconds; a value too large for a <see cref="TimeSpan"/> (e.g. <c>1e308</c> seconds) is the longest one.</summary>
    private static TimeSpan FromMilliseconds(double milliseconds) =>
        double.IsFinite(milliseconds) && milliseconds < TimeSpan.MaxValue.TotalMilliseconds / 2
            ? TimeSpan.FromMilliseconds(milliseconds)
            : TimeSpan.MaxValue;

    private static TimeSpan? FromObject(Exception exception, DateTimeOffset now)
    {
        var type = exception.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            if (property.PropertyType == typeof(HttpResponseMessage) && property.GetValue(exception) is HttpResponseMessage message)
            {
                return FromHeaders(message.Headers, now);
            }

            if (typeof(HttpHeaders).IsAssignableFrom(property.PropertyType) && property.GetValue(exception) is HttpHeaders headers)
            {
                return FromHeaders(headers, now);
            }
        }

        // System.ClientModel (OpenAI SDK): ClientResultException.GetRawResponse().Headers.TryGetValue(name, out value).
        var raw = type.GetMethod("GetRawResponse", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)?.Invoke(exception, null);
        object? rawHeaders = raw?.GetType().GetProperty("Headers")?.GetValue(raw);
        var tryGet = rawHeaders?.GetType().GetMethod("TryGetValue", [typeof(string), typeof(string).MakeByRefType()]);
        if (tryGet is null)
        {
            return null;
        }

        string? Value(string name)
        {
            object?[] args = [name, null];
            return tryGet.Invoke(rawHeaders, args) is true ? args[1] as string : null;
        }

        return Parse(Value("retry-after-ms"), Value("retry-after"), now);
    }

    private static TimeSpan? FromHeaders(HttpHeaders headers, DateTimeOffset now)
    {
        string? ms = headers.TryGetValues("retry-after-ms", out var msValues) ? msValues.FirstOrDefault() : null;
        string? plain = headers.TryGetValues("retry-after", out var values) ? values.FirstOrDefault() : null;
        return Parse(ms, plain, now);
    }
}
