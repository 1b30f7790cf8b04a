namespace Misalignment.Eval;

/// <summary>
/// The diagnostic ids of APIs marked <see cref="System.Diagnostics.CodeAnalysis.ExperimentalAttribute"/>: they are
/// unsettled and may change before 1.0. Suppress the id (<c>&lt;NoWarn&gt;MISALIGN001&lt;/NoWarn&gt;</c>) to use one.
/// </summary>
internal static class Experimental
{
    /// <summary>Report writers and their context will grow with the sample browser.</summary>
    public const string ReportWriters = "MISALIGN001";

    /// <summary>Whole agents as systems under test will change with the Agent Framework adapter.</summary>
    public const string Agents = "MISALIGN002";
}
