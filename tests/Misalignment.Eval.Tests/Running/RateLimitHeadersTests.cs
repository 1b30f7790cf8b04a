using System.Net.Http.Headers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

/// <summary>Reading OpenAI's and Anthropic's rate-limit headers: every reset form, and garbage that is left out without a throw.</summary>
public class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1s", 1_000)]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("1m30.5s", 90_500)]
    [InlineData("4m12.172s", 252_172)]
    [InlineData("23h18m29.144s", 83_909_144)]
    [InlineData("2h", 7_200_000)]
    [InlineData("0s", 0)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("2000000ns", 2)]
    [InlineData("0", 0)]
    [InlineData("1.5", 1_500)]
    [InlineData(" 7s ", 7_000)]
    public void TryParseDuration_GoDurationsAndPlainSeconds_AreRead(string text, double milliseconds)
    {
        RateLimitHeaders.TryParseDuration(text, out var duration).Should().BeTrue();

        duration.TotalMilliseconds.Should().BeApproximately(milliseconds, 1e-3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("1e5")]
    [InlineData("12 s")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("1h-2m")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1.s")]
    [InlineData("999999999999h")]
    [InlineData("1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s")]
    [InlineData(null)]
    public void TryParseDuration_Garbage_IsNoDuration(string? text)
    {
        RateLimitHeaders.TryParseDuration(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("2026-12-01T12:00:59Z", 59_000)]
    [InlineData("2026-12-01T12:00:01.250Z", 1_250)]
    [InlineData("2026-12-01T12:00:01.123456789Z", 1_123.4567)]
    [InlineData("2026-12-01t12:00:02z", 2_000)]
    [InlineData("2026-12-01 12:00:03Z", 3_000)]
    [InlineData("2026-12-01T14:00:04+02:00", 4_000)]
    [InlineData("2026-12-01T11:59:00Z", -60_000)]
    [InlineData("1m30.5s", 90_500)]
    public void TryParseReset_Rfc3339TimesAndDurations_GiveTheInstant(string text, double millisecondsFromNow)
    {
        RateLimitHeaders.TryParseReset(text, Now, out var at).Should().BeTrue();

        (at - Now).TotalMilliseconds.Should().BeApproximately(millisecondsFromNow, 1e-3);
    }

    [Theory]
    [InlineData("2026-13-01T12:00:00Z")]
    [InlineData("2026-12-01T25:00:00Z")]
    [InlineData("2026-12-01T12:00:00")]
    [InlineData("2026-12-01")]
    [InlineData("Tue, 01 Dec 2026 12:00:00 GMT")]
    [InlineData("tomorrow")]
    public void TryParseReset_Garbage_IsNoReset(string text)
    {
        RateLimitHeaders.TryParseReset(text, Now, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData("9999999999999999999999")]
    [InlineData("")]
    public void TryParseCount_NegativeOrGarbage_IsNoCount(string text)
    {
        RateLimitHeaders.TryParseCount(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Parse_OpenAiHeaders_GiveRequestsAndTokens()
    {
        var budgets = RateLimitHeaders.Parse(Headers(
            ("x-ratelimit-limit-requests", "60"), ("x-ratelimit-remaining-requests", "59"), ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-limit-tokens", "150000"), ("x-ratelimit-remaining-tokens", "149984"), ("x-ratelimit-reset-tokens", "6m0s")), Now);

        budgets.Should().HaveCount(2);
        budgets[RateBudgetKind.Requests].Should().Be(new AnnouncedBudget(60, 59, Now.AddSeconds(1)));
        budgets[RateBudgetKind.Tokens].Should().Be(new AnnouncedBudget(150_000, 149_984, Now.AddMinutes(6)));
    }

    [Fact]
    public void Parse_AnthropicHeaders_GiveRequestsTokensInputAndOutput()
    {
        var budgets = RateLimitHeaders.Parse(Headers(
            ("anthropic-ratelimit-requests-limit", "1000"), ("anthropic-ratelimit-requests-remaining", "999"), ("anthropic-ratelimit-requests-reset", "2026-12-01T12:00:01Z"),
            ("anthropic-ratelimit-tokens-limit", "96000"), ("anthropic-ratelimit-tokens-remaining", "96000"), ("anthropic-ratelimit-tokens-reset", "2026-12-01T12:00:00Z"),
            ("anthropic-ratelimit-input-tokens-limit", "80000"), ("anthropic-ratelimit-input-tokens-remaining", "79000"), ("anthropic-ratelimit-input-tokens-reset", "2026-12-01T12:00:02Z"),
            ("anthropic-ratelimit-output-tokens-limit", "16000"), ("anthropic-ratelimit-output-tokens-remaining", "15000"), ("anthropic-ratelimit-output-tokens-reset", "2026-12-01T12:00:03Z"),
            ("retry-after", "5")), Now);

        budgets[RateBudgetKind.Requests].Should().Be(new AnnouncedBudget(1000, 999, Now.AddSeconds(1)));
        budgets[RateBudgetKind.Tokens].Should().Be(new AnnouncedBudget(96_000, 96_000, Now));
        budgets[RateBudgetKind.InputTokens].Should().Be(new AnnouncedBudget(80_000, 79_000, Now.AddSeconds(2)));
        budgets[RateBudgetKind.OutputTokens].Should().Be(new AnnouncedBudget(16_000, 15_000, Now.AddSeconds(3)));
    }

    [Fact]
    public void Parse_NoRateLimitHeaders_IsEmpty()
    {
        RateLimitHeaders.Parse(Headers(("content-type", "application/json"), ("retry-after", "3")), Now).Should().BeEmpty();
    }

    [Fact]
    public void Parse_MalformedAndContradictoryValues_KeepOnlyWhatMakesSense()
    {
        var budgets = RateLimitHeaders.Parse(Headers(
            ("x-ratelimit-limit-requests", "10"), ("x-ratelimit-remaining-requests", "25"), ("x-ratelimit-reset-requests", "whenever"),
            ("x-ratelimit-limit-tokens", "-1"), ("x-ratelimit-remaining-tokens", "-1"), ("x-ratelimit-reset-tokens", "0"),
            ("anthropic-ratelimit-input-tokens-limit", "lots"), ("anthropic-ratelimit-input-tokens-remaining", "\u00e9\u00e9"), ("anthropic-ratelimit-input-tokens-reset", "2026-02-30T00:00:00Z")), Now);

        budgets[RateBudgetKind.Requests].Should().Be(new AnnouncedBudget(10, 10, null), "more remaining than the limit is read as the limit; a reset that is no time is left out");
        budgets[RateBudgetKind.Tokens].Should().Be(new AnnouncedBudget(null, null, Now), "Azure's -1 is no count");
        budgets.Should().NotContainKey(RateBudgetKind.InputTokens);
    }

    [Fact]
    public void Parse_RandomBytesInEveryHeader_NeverThrows()
    {
        var random = new Random(16);
        string[] names = ["x-ratelimit-limit-requests", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-output-tokens-remaining"];
        for (int i = 0; i < 2_000; i++)
        {
            var headers = new HttpResponseMessage().Headers;
            foreach (string name in names)
            {
                char[] value = [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => "0123456789.:-+TZhmsuµn e"[random.Next(24)])];
                headers.TryAddWithoutValidation(name, new string(value));
            }

            var parse = () => RateLimitHeaders.Parse(headers, Now);
            parse.Should().NotThrow();
        }
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }
}
