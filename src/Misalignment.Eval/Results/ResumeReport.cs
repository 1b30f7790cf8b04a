namespace Misalignment.Eval;

/// <summary>What resuming a store found and did.</summary>
internal sealed record ResumeReport
{
    /// <summary>Samples already done (skipped by the resumed run).</summary>
    public int Done { get; init; }

    /// <summary>Failed samples removed from the store so the run retries them.</summary>
    public int Retrying { get; init; }

    /// <summary>Failed samples kept (not retried).</summary>
    public int KeptErrors { get; init; }

    /// <summary>The line number of a torn last line that was dropped, or <see langword="null"/>.</summary>
    public int? DroppedTornLine { get; init; }

    /// <summary>What the store's samples used and cost before the resume.</summary>
    public UsageTally Usage { get; init; } = new();

    /// <summary>Whether the store was rewritten (compacted) before appending.</summary>
    public bool Compacted { get; init; }
}
