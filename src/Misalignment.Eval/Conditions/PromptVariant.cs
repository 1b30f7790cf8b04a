namespace Misalignment.Eval;

/// <summary>Which variant of the system prompt is rendered.</summary>
public enum PromptVariant
{
    /// <summary>The development variant: offers a private scratchpad in <c>&lt;SCRATCHPAD_REASONING&gt;</c> tags.</summary>
    Dev,

    /// <summary>The production variant (<c>_prod</c> in condition ids): no scratchpad paragraph.</summary>
    Prod,
}
