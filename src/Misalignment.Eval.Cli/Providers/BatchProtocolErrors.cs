using System.Net;
using System.Text.RegularExpressions;

namespace Misalignment.Eval.Cli.Providers;

/// <summary>
/// What the batch protocols share: the checks on what the batcher hands them, and the one way a refusal from a batch
/// API leaves them (an <see cref="HttpRequestException"/> with the status and a message with every secret scrubbed, no
/// inner exception that could carry the response body).
/// </summary>
internal static partial class BatchProtocolErrors
{
    /// <summary>The custom ids both APIs take (Anthropic's pattern, which the contract adopts for both).</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomIdPattern();

    /// <summary>A refusal by the provider: its status and its words, scrubbed.</summary>
    public static HttpRequestException Refused(string provider, string what, int status, string message) =>
        new($"The {provider} batch API refused to {what} (HTTP {status}): {SecretScrubber.Scrub(message)}", null, (HttpStatusCode)status);

    /// <summary>The provider could not be reached (no status); the network's own exception is kept, it holds no body.</summary>
    public static HttpRequestException Unreachable(string provider, string what, Exception inner) =>
        new($"The {provider} batch API could not be reached to {what}: {SecretScrubber.Scrub(inner.Message)}", inner is HttpRequestException ? inner : null);

    /// <summary>Checks what one batch may hold, before anything is sent: a batch over a limit is the caller's error.</summary>
    /// <exception cref="ArgumentException">No requests, more than <paramref name="maxRequests"/>, a custom id out of pattern or twice.</exception>
    public static void CheckRequests(IReadOnlyList<Running.BatchRequest> requests, int maxRequests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0 || requests.Count > maxRequests)
        {
            throw new ArgumentException($"A batch holds 1 to {maxRequests:N0} requests; this one has {requests.Count:N0}.", nameof(requests));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (!CustomIdPattern().IsMatch(request.CustomId ?? string.Empty))
            {
                throw new ArgumentException($"Custom id '{request.CustomId}' is not 1 to 64 of [A-Za-z0-9_-].", nameof(requests));
            }

            if (!seen.Add(request.CustomId!))
            {
                throw new ArgumentException($"Custom id '{request.CustomId}' is in the batch twice.", nameof(requests));
            }
        }
    }

    /// <summary>Checks the encoded batch against the provider's size limit.</summary>
    /// <exception cref="ArgumentException">The batch is larger.</exception>
    public static void CheckSize(long bytes, long limit, string what)
    {
        if (bytes > limit)
        {
            throw new ArgumentException($"The batch's {what} would be {bytes:N0} bytes; the provider takes at most {limit:N0}.");
        }
    }
}
