namespace Misalignment.Eval;

/// <summary>One parsed line of a store.</summary>
internal readonly record struct StoreLine(int Number, RunManifest? Manifest, SampleRecord? Sample, VerdictRecord? Verdict, BatchRecord? Batch = null);
