using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>The store's file handling: unbuffered appends cut back on failure, the writer lock, compaction.</summary>
public sealed partial class ResultStore
{
    /// <summary>The store's file, unbuffered: each line goes to the operating system whole, so no hidden buffer is left to flush when a write fails.</summary>
    private static Stream OpenFile(string path, FileMode mode) =>
        new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0);

    private static void FlushToDisk(Stream stream)
    {
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            stream.Flush();
        }
    }

    private async Task WriteLineAsync(string json)
    {
        if (_faulted)
        {
            throw new IOException($"An earlier write to {Path} failed; the store accepts no more records (resume it once the cause is fixed).");
        }

        byte[] bytes = Utf8.GetBytes(json + "\n");
        try
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
            _length += bytes.Length;
        }
        catch (IOException)
        {
            // Never leave a partial line behind (e.g. the disk filled up): cut the file back and refuse further writes.
            _faulted = true;
            CutBack();
            throw;
        }
    }

    /// <summary>
    /// Truncates the file to its last complete line. Truncating needs no free space, but a stream may insist on
    /// flushing what it holds first (and fail again on a full disk), so a second handle does it when the stream cannot.
    /// </summary>
    private void CutBack()
    {
        try
        {
            _stream.SetLength(_length);
            return;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException)
        {
            CutBackThroughHandle();
        }
    }

    private void CutBackThroughHandle()
    {
        try
        {
            using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            RandomAccess.SetLength(handle, _length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The torn tail is then dropped by the next resume.
        }
    }

    /// <summary>Takes the store's writer lock (<c>results.jsonl.lock</c>, opened exclusively), so one process writes at a time.</summary>
    private static FileStream Lock(string path)
    {
        string lockPath = path + ".lock";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lockPath))!);
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new MisalignmentEvalException($"{path} is being written by another misalign process (its lock {lockPath} is held); wait for it to finish.", ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Another process took the lock in between: leave it.
        }
    }

    private static bool EndsWithNewline(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    private static void WriteLine(Stream stream, string json)
    {
        byte[] bytes = Utf8.GetBytes(json + "\n");
        stream.Write(bytes);
    }

    /// <summary>
    /// Rewrites the store: manifest, samples with later verdicts merged, without a torn tail (and without errors when
    /// asked), then the batches a resume may still attach to (<paramref name="batches"/>), atomically.
    /// </summary>
    private static void Compact(string path, bool dropErrors, IReadOnlyList<BatchRecord> batches)
    {
        var manifest = ResultReader.ReadManifest(path);
        string temporary = path + ".compacting";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                WriteLine(stream, JsonSerializer.Serialize(manifest, StoreJson.Options));
                foreach (var sample in ResultReader.ReadSamples(path))
                {
                    if (!(dropErrors && sample.Status == SampleStatus.Error))
                    {
                        WriteLine(stream, JsonSerializer.Serialize(sample, StoreJson.Options));
                    }
                }

                foreach (var batch in batches)
                {
                    WriteLine(stream, JsonSerializer.Serialize(batch, StoreJson.Options));
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // The store itself is untouched until the rename; a half-written copy (a full disk) is removed.
            TryDelete(temporary);
            throw;
        }
    }
}
