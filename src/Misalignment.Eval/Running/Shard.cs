using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Running;

/// <summary>A deterministic slice of the work: shard <see cref="Index"/> of <see cref="Count"/> (1-based), chosen by a stable hash of each key.</summary>
/// <param name="Index">The 1-based shard number.</param>
/// <param name="Count">The number of shards.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Parses <c>K/N</c>.</summary>
    /// <param name="text">The text, e.g. <c>2/4</c>.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="MisalignmentEvalException">The text is not <c>K/N</c> with 1 &lt;= K &lt;= N.</exception>
    public static Shard Parse(string text)
    {
        string[] parts = (text ?? string.Empty).Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n
                ? new Shard(k, n)
                : throw new MisalignmentEvalException($"--shard: '{text}' is not K/N with 1 <= K <= N (e.g. 2/4).");
    }

    /// <summary>Whether a work item's key belongs to this shard (FNV-1a hash of the key, modulo the count).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it belongs here.</returns>
    public bool Contains(string key)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(key ?? string.Empty))
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash % (uint)Count) == Index - 1;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
