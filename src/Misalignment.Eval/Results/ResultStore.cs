using System.Text.Json;
using System.Text;
using Misalignment.Eval.Running;

namespace Misalignment.Eval;

/// <summary>
/// An append-only JSON Lines result store with one writer: a manifest line, then one line per sample, each
/// written and flushed as it completes. Resuming checks the manifest against the run, drops a torn last line,
/// removes failed samples that are to be retried (rewriting the file atomically), and never writes a key twice.
/// </summary>
public sealed partial class ResultStore : IResultSink, IAsyncDisposable, IBatchLedger
{
    /// <summary>The store's file name inside an output folder.</summary>
    public const string FileName = "results.jsonl";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Stream _stream;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HashSet<string> _keys;

    private readonly FileStream _writerLock;
    private bool _faulted;

    /// <summary>The length of the file up to its last complete line: where a failed write is cut back to.</summary>
    private long _length;

    private ResultStore(string path, Stream stream, RunManifest manifest, HashSet<string> keys, FileStream writerLock)
    {
        Path = path;
        _stream = stream;
        _length = stream.Length;
        Manifest = manifest;
        _keys = keys;
        _writerLock = writerLock;
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    /// <summary>The manifest.</summary>
    public RunManifest Manifest { get; }

    /// <summary>The keys already in the store (done samples, and failed ones that are kept).</summary>
    public IReadOnlyCollection<string> Keys => _keys;

    /// <summary>Creates a new store; an existing non-empty file is an error (resume it instead).</summary>
    /// <param name="path">The store file.</param>
    /// <param name="manifest">The manifest, written as the first line.</param>
    /// <returns>The open store.</returns>
    internal static ResultStore Create(string path, RunManifest manifest) => Create(path, manifest, OpenFile);

    /// <summary>Creates a new store writing through <paramref name="open"/> (tests pass a stream that fails as a full disk does).</summary>
    internal static ResultStore Create(string path, RunManifest manifest, Func<string, FileMode, Stream> open)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            throw new MisalignmentEvalException($"{path} already holds results; resume it (--resume) or write to another folder (--out).");
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var writerLock = Lock(path);
        Stream? stream = null;
        try
        {
            stream = open(path, FileMode.Create);
            WriteLine(stream, JsonSerializer.Serialize(manifest, StoreJson.Options));
            FlushToDisk(stream);
            return new ResultStore(path, stream, manifest, new HashSet<string>(StringComparer.Ordinal), writerLock);
        }
        catch
        {
            // A store whose manifest could not be written (a full disk) is not left behind: it is new and holds nothing.
            stream?.Dispose();
            TryDelete(path);
            writerLock.Dispose();
            TryDelete(writerLock.Name);
            throw;
        }
    }

    /// <summary>Opens an existing store to continue the same run.</summary>
    /// <param name="path">The store file.</param>
    /// <param name="expected">The manifest of the run that resumes; its fingerprint must match the stored one.</param>
    /// <param name="retryFailed">Whether failed samples are removed so the run tries them again.</param>
    /// <param name="report">What was found and done.</param>
    /// <returns>The open store, positioned for appending.</returns>
    /// <exception cref="MisalignmentEvalException">The store was made by a different run (the message names what differs) or is malformed.</exception>
    internal static ResultStore Resume(string path, RunManifest expected, bool retryFailed, out ResumeReport report) =>
        Resume(path, expected, retryFailed, OpenFile, out report);

    /// <summary>Resumes a store writing through <paramref name="open"/>.</summary>
    internal static ResultStore Resume(string path, RunManifest expected, bool retryFailed, Func<string, FileMode, Stream> open, out ResumeReport report)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var writerLock = Lock(path);
        try
        {
            return ResumeLocked(path, expected, retryFailed, writerLock, open, out report);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    private static ResultStore ResumeLocked(string path, RunManifest expected, bool retryFailed, FileStream writerLock, Func<string, FileMode, Stream> open, out ResumeReport report)
    {
        var summary = ResultReader.Inspect(path);
        var stored = summary.Manifest;
        var differences = Differences(stored, expected);
        if (differences.Count > 0)
        {
            throw new MisalignmentEvalException($"{path} was made by a different run, so it cannot be resumed; these differ: {string.Join("; ", differences)}. Write to another folder or run the stored spec.");
        }

        bool compact = summary.TornLine is not null || summary.VerdictRecords > 0 || (retryFailed && summary.Errors > 0);
        var batches = ResultReader.OpenBatches(path);
        if (compact)
        {
            Compact(path, dropErrors: retryFailed, batches);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in ResultReader.ReadSamples(path))
        {
            keys.Add(sample.Key);
        }

        report = new ResumeReport
        {
            Done = summary.Ok,
            Retrying = retryFailed ? summary.Errors : 0,
            KeptErrors = retryFailed ? 0 : summary.Errors,
            DroppedTornLine = summary.TornLine,
            Compacted = compact,
            Usage = summary.Usage,
        };
        var stream = open(path, FileMode.Append);
        if (stream.Length > 0 && !EndsWithNewline(path))
        {
            // A complete last line without its newline (a hand edit, another tool): end it before appending.
            WriteLine(stream, string.Empty);
        }

        var store = new ResultStore(path, stream, stored, keys, writerLock);
        store._batches.AddRange(batches);
        return store;
    }

    /// <summary>Whether a key is already in the store.</summary>
    /// <param name="key">The sample key.</param>
    /// <returns>Whether it is there.</returns>
    public bool Contains(string key) => _keys.Contains(key);

    /// <summary>Appends a sample and flushes it; a key already in the store is an error.</summary>
    /// <param name="record">The sample.</param>
    /// <param name="cancellationToken">Cancels waiting for the writer (not a write in progress).</param>
    /// <returns>A task that completes when the line is written and flushed.</returns>
    public async ValueTask AppendAsync(SampleRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_keys.Add(record.Key))
            {
                throw new InvalidOperationException($"The sample '{record.Key}' is already in {Path}; a key is never written twice.");
            }

            await WriteLineAsync(JsonSerializer.Serialize(record, StoreJson.Options)).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Appends a verdict record (a later classification of a sample in the store).</summary>
    /// <param name="record">The verdict record.</param>
    /// <param name="cancellationToken">Cancels waiting for the writer.</param>
    /// <returns>A task that completes when the line is written and flushed.</returns>
    public async ValueTask AppendAsync(VerdictRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteLineAsync(JsonSerializer.Serialize(record, StoreJson.Options)).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every sample in the file, with later verdict records applied (reads the file; each record is flushed when appended).</summary>
    /// <returns>The samples.</returns>
    public IEnumerable<SampleRecord> ReadSamples() => ResultReader.ReadSamples(Path);

    /// <summary>Flushes to disk and closes the file.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_faulted)
            {
                FlushToDisk(_stream);
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                // A stream that still holds part of the failed line may write it while closing: cut it off again.
                try
                {
                    await _stream.DisposeAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The disk is still full; what matters is the cut below.
                }

                CutBackThroughHandle();
            }
        }
        finally
        {
            await _writerLock.DisposeAsync().ConfigureAwait(false);
            TryDelete(_writerLock.Name);
            _lock.Release();
            _lock.Dispose();
        }
    }

    /// <summary>The fingerprint entries (and shard) in which two manifests differ, in words; empty when one run may continue the other.</summary>
    /// <param name="stored">The manifest in the store.</param>
    /// <param name="expected">The manifest of the run that wants to continue it.</param>
    /// <returns>One phrase per difference.</returns>
    public static IReadOnlyList<string> Differences(RunManifest stored, RunManifest expected)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(expected);
        var differences = new List<string>();
        if (stored.FormatVersion != expected.FormatVersion)
        {
            differences.Add($"format version (stored: {stored.FormatVersion}; now: {expected.FormatVersion})");
        }

        foreach (string key in stored.Fingerprint.Keys.Union(expected.Fingerprint.Keys).Order(StringComparer.Ordinal))
        {
            string before = stored.Fingerprint.GetValueOrDefault(key) ?? "(none)";
            string now = expected.Fingerprint.GetValueOrDefault(key) ?? "(none)";
            if (before != now)
            {
                differences.Add($"{key} (stored: {Shorten(before)}; now: {Shorten(now)})");
            }
        }

        if (stored.Shard != expected.Shard)
        {
            differences.Add($"shard (stored: {stored.Shard ?? "all"}; now: {expected.Shard ?? "all"})");
        }

        return differences;
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";

    /// <summary>Reads a store's manifest (its first line).</summary>
    /// <param name="path">The store file.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="MisalignmentEvalException">The file is missing, empty or malformed (the message names file and line).</exception>
    public static RunManifest ReadManifest(string path) => ResultReader.ReadManifest(path);

    /// <summary>Reads every sample of a store, with later verdict records applied; holds no more than the verdict records in memory.</summary>
    /// <param name="path">The store file.</param>
    /// <returns>The samples, in file order.</returns>
    /// <exception cref="MisalignmentEvalException">The file is missing or malformed (the message names file and line).</exception>
    public static IEnumerable<SampleRecord> ReadSamples(string path) => ResultReader.ReadSamples(path);
}
