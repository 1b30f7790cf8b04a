
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

    /// <summary>Whether the agent acts through XML text blocks or native function tools (always native with <see cref="InboxTools"/>).</summary>
    public ToolMode ToolMode
    {
        get => InboxTools ? ToolMode.Native : _toolMode;
        init => _toolMode = value;
    }

    /// <summary>
    /// Whether the agent reads its inbox through tools instead of receiving every email in the user message: it is
    /// offered <c>list_inbox</c> and <c>read_email(id)</c> next to the action tools and the user message only says how many
    /// emails there are. Implies <see cref="ToolMode.Native"/>. Reading is recorded with the sample and never counts as an action.
    /// </summary>
    public bool InboxTools { get; init; }

    /// <summary>
    /// The most model calls one sample may take in native tool mode, or <see langword="null"/> (the default) for 8, or 24 with
    /// <see cref="InboxTools"/> (an agent that reads one email per step needs a step for each).
    /// </summary>
    public int? MaxSteps { get; init; }

    /// <summary>The step limit in force: <see cref="MaxSteps"/>, or its default.</summary>
    internal int StepLimit => MaxSteps ?? (InboxTools ? 24 : 8);

    private readonly ToolMode _toolMode = ToolMode.Text;
}
