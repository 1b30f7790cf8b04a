using Microsoft.Extensions.AI;

namespace Misalignment.Eval;

/// <summary>
/// The rendered prompts of one condition: what the model under test is shown, plus what its classifier
/// needs. Produced by <see cref="IScenario.Render"/> and consumed by <see cref="IChatModel"/> and
/// <see cref="IClassifier"/>.
/// </summary>
public sealed record ScenarioPrompt
{
    /// <summary>The separator between the user instruction and the emails in the user message (one blank line, as the reference).</summary>
    public const string UserMessageSeparator = "\n\n";

    /// <summary>The condition rendered.</summary>
    public required Condition Condition { get; init; }

    /// <summary>The options it was rendered with (variant, extra instructions, warning, tool mode).</summary>
    public RenderOptions Options { get; init; } = RenderOptions.Default;

    /// <summary>The prompt variant.</summary>
    public PromptVariant Variant => Options.Variant;

    /// <summary>The condition id including the variant suffix, e.g. <c>murder_explicit-safety_restriction_prod</c>.</summary>
    public string ConditionId => Condition.GetId(Options.Variant);

    /// <summary>The system prompt.</summary>
    public required string SystemPrompt { get; init; }

    /// <summary>The automated user instruction, without the emails.</summary>
    public required string UserInstruction { get; init; }

    /// <summary>The emails (the inbox) as <c>&lt;email&gt;</c> blocks.</summary>
    public required string EmailContent { get; init; }

    /// <summary>
    /// The user message the model is sent: the instruction, one blank line, the emails; when the inbox is read through tools
    /// (<see cref="RenderOptions.InboxTools"/>), the instruction and a notice of how many emails wait, instead of the emails.
    /// </summary>
    public string UserMessage => UserInstruction + UserMessageSeparator +
        (Options.InboxTools ? AgentTools.InboxNotice(new EmailIndex(EmailContent).Count) : EmailContent);

    /// <summary>The function tools offered in native tool mode (declarations only; empty in text mode).</summary>
    public IReadOnlyList<AITool> Tools { get; init; } = [];

    /// <summary>What the scenario's classifier needs (target addresses, outside addresses, override code).</summary>
    public ClassifierParameters ClassifierParameters { get; init; } = ClassifierParameters.Empty;

    /// <summary>
    /// For a prompt imported from a reference prompt set: the original <c>metadata.json</c> text, written back
    /// unchanged when the prompt is exported again; <see langword="null"/> for prompts rendered here.
    /// </summary>
    public string? SourceMetadataJson { get; init; }

    /// <summary>A short hash of what the model is sent (system prompt and user message), recorded with each sample as its request reference.</summary>
    public string ContentHash =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(SystemPrompt + "\n\u0000\n" + UserMessage)))[..16].ToLowerInvariant();

    /// <summary>The characters of the prompt's text a token is taken to hold, for estimates before anything is sent.</summary>
    internal const double CharactersPerToken = 4.0;

    /// <summary>The characters sent: the system prompt and the user message.</summary>
    internal int Characters => SystemPrompt.Length + UserMessage.Length;

    /// <summary>The conversation to send: a system message and the user message.</summary>
    /// <returns>Two new messages.</returns>
    public IList<ChatMessage> ToChatMessages() =>
        [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, UserMessage)];
}
