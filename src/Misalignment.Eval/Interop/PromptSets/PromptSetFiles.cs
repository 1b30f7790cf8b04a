namespace Misalignment.Eval.Interop;

/// <summary>The file names of the reference prompt-set layout (a folder per condition id).</summary>
internal static class PromptSetFiles
{
    /// <summary>The system prompt.</summary>
    public const string SystemPrompt = "system_prompt.txt";

    /// <summary>The user instruction only, without the emails.</summary>
    public const string UserPrompt = "user_prompt.txt";

    /// <summary>The emails only.</summary>
    public const string EmailContent = "email_content.txt";

    /// <summary>The condition's metadata (<c>condition_id</c>, <c>scenario</c>, <c>goal_type</c>, ...).</summary>
    public const string Metadata = "metadata.json";

    /// <summary>All four, in the order they are checked.</summary>
    public static IReadOnlyList<string> All { get; } = [SystemPrompt, UserPrompt, EmailContent, Metadata];
}
