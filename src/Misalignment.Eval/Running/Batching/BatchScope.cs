namespace Misalignment.Eval.Running;

/// <summary>
/// The sample whose batched call is under way, for the batcher (an <see cref="AsyncLocal{T}"/> set by the
/// <see cref="SampleExecutor"/> around a batched model's call, and by the <see cref="SampleClassifier"/> around a
/// batched judge's classifier, each only around its own call): its key, its run, which call it is, and the slot where
/// the batcher writes the batch that answered it.
/// </summary>
internal sealed class BatchScope(BatchRun run, string key, string model)
{
    /// <summary>The <see cref="Call"/> of the judge's harm verdict.</summary>
    public const string HarmJudge = "judge";

    /// <summary>The <see cref="Call"/> of the judge's eval-awareness verdict.</summary>
    public const string AwarenessJudge = "awareness";

    private static readonly AsyncLocal<BatchScope?> Scope = new();
    private string? _batchId;

    /// <summary>The scope of the call under way, or <see langword="null"/> outside a batched model's call.</summary>
    public static BatchScope? Current => Scope.Value;

    /// <summary>The run the sample belongs to.</summary>
    public BatchRun Run { get; } = run;

    /// <summary>The sample's key.</summary>
    public string Key { get; } = key;

    /// <summary>The model's name (the judge's, for a judge call).</summary>
    public string Model { get; } = model;

    /// <summary>
    /// Which of the sample's judge calls this is (<see cref="HarmJudge"/>, <see cref="AwarenessJudge"/>), or
    /// <see langword="null"/> for the model's own call. A judge call's batch is a judge batch.
    /// </summary>
    public string? Call { get; init; }

    /// <summary>Whether the call is the judge's.</summary>
    public bool IsJudge => Call is not null;

    /// <summary>What a request's custom id is made from besides its body: the key, and for a judge call which one, so no two calls of a sample share one.</summary>
    public string IdKey => Call is null ? Key : $"{Key}|{Call}";

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
