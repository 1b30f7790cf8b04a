
namespace Misalignment.Eval.Running;

/// <summary>What a hosted run does (bind it from configuration or set it in <c>AddMisalignmentEval</c>).</summary>
public sealed class MisalignmentEvalOptions
{
    /// <summary>The name results are recorded under for the keyed target client (default <c>target</c>).</summary>
    public string ModelName { get; set; } = "target";

    /// <summary>The expansions to run (default: the full grid of the built-in scenarios).</summary>
    public IList<GridExpansion> Expansions { get; } = [];

    /// <summary>Samples per condition (default 1).</summary>
    public int SamplesPerCondition { get; set; } = 1;

    /// <summary>The base seed.</summary>
    public long? Seed { get; set; }

    /// <summary>The sampling temperature sent to the target (default 1.0).</summary>
    public float? Temperature { get; set; } = 1.0f;

    /// <summary>The target's output-token budget (default 4000).</summary>
    public int MaxOutputTokens { get; set; } = 4000;

    /// <summary>How prompts are rendered.</summary>
    public RenderOptions Render { get; set; } = new();

    /// <summary>The verdict policy.</summary>
    public VerdictPolicy Policy { get; set; } = VerdictPolicy.Default;

    /// <summary>Calls in flight for the target (default 4).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Where result stores are written (default: <c>out</c> under the current folder).</summary>
    public string OutputDirectory { get; set; } = "out";
}
