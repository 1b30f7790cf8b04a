namespace Misalignment.Eval;

/// <summary>A sink that records the batches a run submits (the <see cref="ResultStore"/>, the <see cref="InMemoryResultSink"/>).</summary>
internal interface IBatchLedger
{
    /// <summary>The batches whose requests no sample has answered yet (a resumed store's, and those recorded since).</summary>
    IReadOnlyList<BatchRecord> OpenBatches { get; }

    /// <summary>Records a submitted batch, durably as far as the sink promises.</summary>
    ValueTask AppendAsync(BatchRecord record, CancellationToken cancellationToken);
}
