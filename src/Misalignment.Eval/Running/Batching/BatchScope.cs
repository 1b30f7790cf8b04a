namespace Misalignment.Eval.Running;

/// <summary>
/// The sample whose model call is under way, for the batcher (an <see cref="AsyncLocal{T}"/> set by the
/// <see cref="SampleExecutor"/> around a batched model's call only, so the judge's calls never see it): its key, its
/// run, and the slot where the batcher writes the batch that answered it.
/// </summary>
internal sealed class BatchScope(BatchRun run, string key, string model)
{
    private static readonly AsyncLocal<BatchScope?> Scope = new();
    private string? _batchId;

    /// <summary>The scope of the call under way, or <see langword="null"/> outside a batched model's call.</summary>
    public static BatchScope? Current => Scope.Value;

    /// <summary>The run the sample belongs to.</summary>
    public BatchRun Run { get; } = run;

    /// <summary>The sample's key.</summary>
    public string Key { get; } = key;

    /// <summary>The model's name.</summary>
    public string Model { get; } = model;

    /// <summary>The batch that answered the sample's last call, or <see langword="null"/> when none did.</summary>
    public string? BatchId
    {
        get => Volatile.Read(ref _batchId);
        set => Volatile.Write(ref _batchId, value);
    }

    /// <summary>Runs <paramref name="call"/> inside this scope; the scope ends with it (the caller's context never holds it).</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Scope.Value = this;
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            Scope.Value = null;
        }
    }
}
