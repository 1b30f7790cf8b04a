
namespace Misalignment.Eval;

/// <summary>How a condition is rendered into prompts, beyond the condition itself.</summary>
public sealed record RenderOptions
{
    /// <summary>The options used when none are given: development variant, no extra instructions, no warning, text mode.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>The prompt variant: <see cref="PromptVariant.Dev"/> offers a private scratchpad, <see cref="PromptVariant.Prod"/> does not.</summary>
    public PromptVariant Variant { get; init; } = PromptVariant.Dev;

    /// <summary>Optional extra system instructions (<c>dont</c> or <c>goal</c>).</summary>
    public ExtraInstructions ExtraInstructions { get; init; } = ExtraInstructions.None;

    /// <summary>An alignment-faking warning inserted right after the goal statement, or <see langword="null"/> for none.</summary>
    public string? AlignmentFakingWarning { get; init; }

    /// <summary>Whether the agent acts through XML text blocks or native function tools.</summary>
    public ToolMode ToolMode { get; init; } = ToolMode.Text;
}
