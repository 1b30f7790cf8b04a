namespace Misalignment.Eval;

/// <summary>
/// Where a run records its samples: the append-only <see cref="ResultStore"/> on disk, an
/// <see cref="InMemoryResultSink"/>, or a sink of your own (a database, a queue). A key is written once.
/// </summary>
public interface IResultSink
{
    /// <summary>The manifest of the run the sink holds.</summary>
    RunManifest Manifest { get; }

    /// <summary>Whether the sink already holds a sample (done, or failed and kept).</summary>
    /// <param name="key">The sample key.</param>
    /// <returns>Whether it is there.</returns>
    bool Contains(string key);

    /// <summary>Records a sample; a key already held is an error.</summary>
    /// <param name="record">The sample.</param>
    /// <param name="cancellationToken">Cancels waiting to write.</param>
    /// <returns>A task that completes when the record is durable as far as the sink promises.</returns>
    ValueTask AppendAsync(SampleRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records a later verdict of a sample already held (it replaces the sample's verdict when read).</summary>
    /// <param name="record">The verdict record.</param>
    /// <param name="cancellationToken">Cancels waiting to write.</param>
    /// <returns>A task that completes when the record is written.</returns>
    ValueTask AppendAsync(VerdictRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every sample held, with later verdicts applied, in the order written.</summary>
    /// <returns>The samples.</returns>
    IEnumerable<SampleRecord> ReadSamples();
}
