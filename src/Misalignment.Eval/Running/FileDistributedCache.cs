using Microsoft.Extensions.Caching.Distributed;

namespace Misalignment.Eval.Running;

/// <summary>
/// A small <see cref="IDistributedCache"/> on disk: one file per key in a folder, written atomically. Entries do not
/// expire (delete the folder to clear it); it is meant for one machine's response cache, not for sharing.
/// </summary>
internal sealed class FileDistributedCache : IDistributedCache
{
    private readonly string _directory;

    /// <summary>Creates the cache in a folder (created if needed).</summary>
    /// <param name="directory">The folder.</param>
    public FileDistributedCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <inheritdoc/>
    public byte[]? Get(string key) => File.Exists(PathOf(key)) ? File.ReadAllBytes(PathOf(key)) : null;

    /// <inheritdoc/>
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        File.Exists(PathOf(key)) ? await File.ReadAllBytesAsync(PathOf(key), token).ConfigureAwait(false) : null;

    /// <inheritdoc/>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        string temporary = PathOf(key) + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, value);
        File.Move(temporary, PathOf(key), overwrite: true);
    }

    /// <inheritdoc/>
    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        string temporary = PathOf(key) + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, value, token).ConfigureAwait(false);
        File.Move(temporary, PathOf(key), overwrite: true);
    }

    /// <inheritdoc/>
    public void Refresh(string key)
    {
        // Entries never expire, so there is nothing to refresh.
    }

    /// <inheritdoc/>
    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public void Remove(string key) => File.Delete(PathOf(key));

    /// <inheritdoc/>
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        string safe = string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return Path.Combine(_directory, safe + ".json");
    }
}
