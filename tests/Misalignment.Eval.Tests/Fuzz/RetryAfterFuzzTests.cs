using System.Globalization;
using System.Net;
using CsCheck;

namespace Misalignment.Eval.Tests.Fuzz;

/// <summary>Issue 13, item 3: whatever a server sends as <c>retry-after</c> or <c>retry-after-ms</c>, reading it never throws.</summary>
public sealed class RetryAfterFuzzTests
{
    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[0, 308].Select(e => $"1e{e}"),
        Of("1e308", "1.7976931348623157E+308", "Infinity", "-Infinity", "NaN", "-0", "0", "1e-320", "9223372036854775807", "00000000000000000000001", " 5 ", "5s", ""));

    private static readonly Gen<string> Date = Gen.OneOf(
        Gen.DateTime.Select(d => d.ToString("r", CultureInfo.InvariantCulture)),
        Gen.Int[1, 9999].Select(y => $"Fri, 31 Dec {y:0000} 23:59:59 GMT"),
        Of("Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "Thu, 01 Jan 1970 00:00:00 GMT"));

    private static readonly Gen<string?> Header = Gen.Frequency(
        (3, Number.Select(s => (string?)s)),
        (3, Date.Select(s => (string?)s)),
        (2, Gen.String.Select(s => (string?)s)),
        (1, Gen.Const((string?)null)));

    private static readonly Gen<DateTimeOffset> Now = Gen.Frequency(
        (4, Gen.DateTimeOffset),
        (1, Of(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch)));

    private static Gen<T> Of<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>Before (eb35957, measured): <c>retry-after: 1e308</c> (and any number of seconds over about 9.2e11) threw an OverflowException.</summary>
    [Fact]
    public void Parse_RandomHeaderValues_NeverThrowsAndNeverGivesANegativeWait()
    {
        Gen.Select(Header, Header, Now).Sample(
            (ms, plain, now) =>
            {
                var wait = RetryAfter.Parse(ms, plain, now);
                (wait is null || wait >= TimeSpan.Zero).Should().BeTrue($"a wait is never negative, not {wait}");
            },
            iter: 20_000,
            print: t => $"retry-after-ms '{t.Item1}', retry-after '{t.Item2}', now {t.Item3:O}");
    }

    [Fact]
    public void Of_RandomHeadersOfARealResponse_NeverThrows()
    {
        Gen.Select(Header, Header, Now).Sample(
            (ms, plain, now) =>
            {
                using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                response.Headers.TryAddWithoutValidation("retry-after-ms", ms);
                response.Headers.TryAddWithoutValidation("retry-after", plain);
                var wait = RetryAfter.Of(new ResponseFailure(response), now);
                (wait is null || wait >= TimeSpan.Zero).Should().BeTrue($"a wait is never negative, not {wait}");
            },
            iter: 5_000,
            print: t => $"retry-after-ms '{t.Item1}', retry-after '{t.Item2}', now {t.Item3:O}");
    }

    private sealed class ResponseFailure(HttpResponseMessage response) : Exception("HTTP 429")
    {
        public HttpResponseMessage Response { get; } = response;
    }
}
