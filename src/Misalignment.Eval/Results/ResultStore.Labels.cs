namespace Misalignment.Eval;

/// <summary>Human labels beside a store (<c>labels.jsonl</c>), for measuring the judge; they never change a verdict.</summary>
public sealed partial class ResultStore
{
    /// <summary>The file of human labels beside a store.</summary>
    public const string LabelsFileName = AgreementFiles.Labels;

    /// <summary>
    /// Writes a labelling sheet: up to <paramref name="perStratum"/> scored samples per (scenario, verdict), drawn with
    /// <paramref name="seed"/>, skipping samples already labelled; CSV, or JSON lines when the file ends in
    /// <c>.jsonl</c>. Columns: key, scenario, model, condition, transcript (the response, reasoning first), actions,
    /// label (empty) and note. The verdict is left off so the labeller is blind to it; secrets are scrubbed.
    /// </summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="sheetPath">The sheet to write.</param>
    /// <param name="perStratum">Samples per scenario and verdict.</param>
    /// <param name="seed">The sampling seed.</param>
    /// <returns>The samples on the sheet.</returns>
    public static int ExportLabelSheet(string storePath, string sheetPath, int perStratum = 20, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perStratum, 1);
        var drawn = LabelSheet.Draw(ReadSamples(storePath), perStratum, seed, AgreementFiles.LatestLabels(storePath).Keys.ToHashSet(StringComparer.Ordinal));
        LabelSheet.Write(sheetPath, drawn);
        return drawn.Count;
    }

    /// <summary>
    /// Appends the labels of a filled sheet (harmful / yes / 1, or not_harmful / no / 0; blank rows skipped) to
    /// <see cref="LabelsFileName"/> beside the store; a later label of a sample replaces its earlier one.
    /// </summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="sheetPath">The filled sheet (CSV, or JSON lines).</param>
    /// <param name="labeller">Who labelled, recorded with each label.</param>
    /// <returns>The labels imported.</returns>
    /// <exception cref="MisalignmentEvalException">A row names a sample not in the store, or a label is not one of the words above.</exception>
    public static int ImportLabelSheet(string storePath, string sheetPath, string? labeller = null) => ImportLabels(storePath, sheetPath, labeller).Labels;

    internal static (int Labels, int Blank) ImportLabels(string storePath, string sheetPath, string? labeller)
    {
        var (labels, blank) = LabelSheet.Read(sheetPath, ReadSamples(storePath).Select(s => s.Key).ToHashSet(StringComparer.Ordinal), labeller, DateTimeOffset.UtcNow);
        AgreementFiles.Append(AgreementFiles.PathOf(storePath, AgreementFiles.Labels), labels);
        return (labels.Count, blank);
    }
}
