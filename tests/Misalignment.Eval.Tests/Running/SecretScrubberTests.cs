using System.Text;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.Tests.Running;

/// <summary>Issue 13, finding 1: a key reaches no message in any form a server or a library might echo.</summary>
public sealed class SecretScrubberTests
{
    // Made at run time, so nothing key-shaped is committed.
    private static readonly string Key = "tk-proj-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..12];

    public static TheoryData<string, string> Echoes()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Key);
        return new()
        {
            { "trimmed, as the SDK sends it", Key },
            { "upper case", Key.ToUpperInvariant() },
            { "reversed", new(Key.Reverse().ToArray()) },
            { "base64", Convert.ToBase64String(bytes) },
            { "base64 of user:key", Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + Key)) },
            { "url-safe base64 at another offset", Convert.ToBase64String(Encoding.UTF8.GetBytes("x" + Key)).Replace('+', '-').Replace('/', '_') },
            { "hex", Convert.ToHexString(bytes) },
            { "a long prefix", Key[..20] + "****************" },
            { "a long suffix", "..." + Key[^12..] },
        };
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public void Scrub_KeyWithTrailingNewlineInTheEnvironment_RemovesEveryEchoOfTheTrimmedKey(string form, string echo)
    {
        string variable = "MISALIGN_TEST_" + Guid.NewGuid().ToString("N") + "_API_KEY";
        Environment.SetEnvironmentVariable(variable, Key + "\n");
        try
        {
            string scrubbed = SecretScrubber.Scrub($"HTTP 401 (invalid_api_key): Incorrect API key provided: {echo}. Find your key at the dashboard.");

            scrubbed.Should().StartWith("HTTP 401 (invalid_api_key): Incorrect API key provided: ").And.EndWith(". Find your key at the dashboard.").And.Contain("***", form);
            Windows(echo).Where(w => !w.Contains('*', StringComparison.Ordinal)).Should().NotContain(w => scrubbed.Contains(w, StringComparison.OrdinalIgnoreCase), form);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Scrub_RegisteredSecret_IsRemovedWithoutAnEnvironmentVariable()
    {
        string secret = "reg-" + Guid.NewGuid().ToString("N");
        SecretScrubber.Register(secret + " \r\n");

        SecretScrubber.Scrub($"server said: {secret} is wrong").Should().Be("server said: *** is wrong");
    }

    [Theory]
    [InlineData("Bearer abc.def-ghi_jkl", "Bearer ***")]
    [InlineData("authorization: bearer eyJhbGciOi.eyJzdWIi.sig==", "authorization: bearer ***")]
    [InlineData("Basic dXNlcjpwYXNz", "Basic ***")]
    [InlineData("GET http://alice:hunter2@10.0.0.1/v1 failed", "GET http://***@10.0.0.1/v1 failed")]
    [InlineData("https://host/v1?key=AIzaSomething&x=1", "https://host/v1?key=***&x=1")]
    public void RedactCredentials_CredentialShapedText_IsMaskedWithoutKnowingTheSecret(string text, string expected)
    {
        SecretScrubber.Scrub(text, []).Should().Be(expected);
    }

    [Theory]
    [InlineData("k9", "HTTP 401: key k9 rejected", "HTTP 401: key *** rejected")]
    [InlineData("k9", "attempt k99 and xk9 stay", "attempt k99 and xk9 stay")]
    [InlineData("abc1234", "'abc1234' is not valid; 4321cba", "'***' is not valid; ***")]
    public void Scrub_SecretShorterThanEightCharacters_IsRemovedWhereItStandsAsAWord(string secret, string text, string expected)
    {
        SecretScrubber.Scrub(text, [secret]).Should().Be(expected);
    }

    [Fact]
    public void Scrub_TextWithoutSecrets_IsUnchanged()
    {
        const string text = "HTTP 500 (server_error): The server had an error while processing your request.";

        SecretScrubber.Scrub(text, [Key]).Should().Be(text);
    }

    /// <summary>The 8-character windows of an echo, but for its first and last 4 characters (a base64 text's edges also encode its neighbours).</summary>
    private static IEnumerable<string> Windows(string echo) => Enumerable.Range(4, Math.Max(0, echo.Length - 15)).Select(i => echo.Substring(i, 8));
}
