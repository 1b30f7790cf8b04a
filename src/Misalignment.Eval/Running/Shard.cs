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

    /// <summary>
    /// Parses <c>K/N</c>, or takes the shard from the environment for <c>auto</c> or <c>auto/N</c>: the 0-based index
    /// from <c>JOB_COMPLETION_INDEX</c> (a Kubernetes Indexed Job) or else <c>MISALIGN_SHARD_INDEX</c> (set it from
    /// a GitHub Actions matrix's <c>strategy.job-index</c>); the count from <c>N</c>, else <c>JOB_COMPLETIONS</c>,
    /// else <c>MISALIGN_SHARD_COUNT</c> (<c>strategy.job-total</c>).
    /// </summary>
    /// <param name="text">The text: <c>K/N</c>, <c>auto</c> or <c>auto/N</c>.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="MisalignmentEvalException">The text or the variables do not name a shard.</exception>
    public static Shard Resolve(string text, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string value = (text ?? string.Empty).Trim();
        if (!value.StartsWith("auto", StringComparison.OrdinalIgnoreCase))
        {
            return Parse(value);
        }

        string rest = value[4..];
        int? given = rest.Length == 0 ? null
            : rest[0] == '/' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n
            : throw new MisalignmentEvalException($"--shard: '{text}' is not auto or auto/N (e.g. auto/4).");
        (string? indexName, string? index) = Variable(environment, "JOB_COMPLETION_INDEX", "MISALIGN_SHARD_INDEX");
        (string? countName, string? count) = given is null ? Variable(environment, "JOB_COMPLETIONS", "MISALIGN_SHARD_COUNT") : (null, null);
        if (index is null)
        {
            throw new MisalignmentEvalException("--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor MISALIGN_SHARD_INDEX (set from a GitHub Actions matrix's strategy.job-index) is set.");
        }

        if (given is null && count is null)
        {
            throw new MisalignmentEvalException("--shard auto: the number of shards is unknown; pass --shard auto/N or set JOB_COMPLETIONS (or MISALIGN_SHARD_COUNT).");
        }

        int total = given ?? (int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int c) && c >= 1 ? c
            : throw new MisalignmentEvalException($"--shard auto: {countName}='{count}' is not a count of shards."));
        return int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < total
            ? new Shard(i + 1, total)
            : throw new MisalignmentEvalException(string.Create(CultureInfo.InvariantCulture, $"--shard auto: {indexName}='{index}' is not a 0-based index below {total}."));
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

    private static (string? Name, string? Value) Variable(Func<string, string?> environment, params string[] names) =>
        names.Select(n => (Name: (string?)n, Value: environment(n)?.Trim())).FirstOrDefault(v => !string.IsNullOrEmpty(v.Value));

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
