namespace Misalignment.Eval;

/// <summary>
/// A result sink in memory: for tests, <c>selftest</c> and embedding code that needs no files. Thread-safe; holds
/// every record until it is dropped.
/// </summary>
public sealed class InMemoryResultSink : IResultSink, IBatchLedger
{
    private readonly Lock _gate = new();
    private readonly List<SampleRecord> _samples = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<BatchRecord> _batches = [];

    /// <summary>Creates an empty sink for a run.</summary>
    /// <param name="manifest">The run's manifest.</param>
    public InMemoryResultSink(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Manifest = manifest;
    }

    /// <inheritdoc/>
    public RunManifest Manifest { get; }

    /// <summary>The number of samples held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    /// <inheritdoc/>
    public bool Contains(string key)
    {
        lock (_gate)
        {
            return _index.ContainsKey(key);
        }
    }

    /// <inheritdoc/>
    public ValueTask AppendAsync(SampleRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!_index.TryAdd(record.Key, _samples.Count))
            {
                throw new InvalidOperationException($"The sample '{record.Key}' is already recorded; a key is never written twice.");
            }

            _samples.Add(record);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask AppendAsync(VerdictRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!_index.TryGetValue(record.Key, out int at))
            {
                throw new InvalidOperationException($"A verdict for '{record.Key}', which is not recorded.");
            }

            var sample = _samples[at];
            _samples[at] = sample with { Verdict = record.Verdict ?? sample.Verdict, Awareness = record.Awareness ?? sample.Awareness };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public IEnumerable<SampleRecord> ReadSamples()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    /// <inheritdoc/>
    IReadOnlyList<BatchRecord> IBatchLedger.OpenBatches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    /// <inheritdoc/>
    ValueTask IBatchLedger.AppendAsync(BatchRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _batches.Add(record);
        }

        return ValueTask.CompletedTask;
    }
}
