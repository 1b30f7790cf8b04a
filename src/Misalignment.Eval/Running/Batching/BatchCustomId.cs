using System.Security.Cryptography;
using System.Text;

namespace Misalignment.Eval.Running;

/// <summary>
/// The custom id a request carries in a batch: the SHA-256 of its sample key and its body, in 64 lowercase hex digits
/// (Anthropic allows at most 64 of <c>[A-Za-z0-9_-]</c>). The body is part of it, so a resumed run attaches a request
/// only to the answer of the very same request (not, say, to a later step of a sample that starts again).
/// </summary>
internal static class BatchCustomId
{
    public static string Of(string key, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(key));
        hash.AppendData([0]);
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
