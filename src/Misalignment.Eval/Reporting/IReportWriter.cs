namespace Misalignment.Eval.Reporting;

/// <summary>
/// Writes one report format from a run's statistics and samples. The library's writers are in
/// <see cref="ReportWriters"/>; register your own in <c>ExperimentSessionOptions.ReportWriters</c>.
/// </summary>
public interface IReportWriter
{
    /// <summary>The format's short name, as <c>--format</c> takes it (e.g. <c>html</c>).</summary>
    string Format { get; }

    /// <summary>Writes the report into the context's folder.</summary>
    /// <param name="context">The statistics, the samples and the folder.</param>
    /// <returns>The file written.</returns>
    string Write(ReportContext context);
}
