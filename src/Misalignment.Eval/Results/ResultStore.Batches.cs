using System.Text.Json;

namespace Misalignment.Eval;

/// <summary>The store's batch lines: each batch a run submits is written before it is polled, and a resume reads them back.</summary>
public sealed partial class ResultStore
{
    private readonly List<BatchRecord> _batches = [];

    /// <inheritdoc/>
    IReadOnlyList<BatchRecord> IBatchLedger.OpenBatches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    /// <inheritdoc/>
    async ValueTask IBatchLedger.AppendAsync(BatchRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteLineAsync(JsonSerializer.Serialize(record, StoreJson.Options)).ConfigureAwait(false);
            lock (_batches)
            {
                _batches.Add(record);
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
