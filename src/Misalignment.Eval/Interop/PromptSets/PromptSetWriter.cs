using System.Text;
using System.Text.Json;

namespace Misalignment.Eval.Interop;

/// <summary>
/// Writes prompts in the reference implementation's prompt-set layout: a folder per condition id holding
/// <c>system_prompt.txt</c>, <c>user_prompt.txt</c>, <c>email_content.txt</c> and <c>metadata.json</c>.
/// Texts are written as UTF-8 without a byte-order mark, exactly as held; a prompt imported from a prompt set
/// gets its original <c>metadata.json</c> back unchanged. The output is deterministic (no timestamps).
/// </summary>
internal static class PromptSetWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the prompts under a folder, creating it if needed; existing condition folders are overwritten.</summary>
    /// <param name="directory">The prompt-set folder.</param>
    /// <param name="prompts">The prompts; two with the same condition id are an error.</param>
    /// <param name="generator">The name written to each generated <c>metadata.json</c> as <c>generator</c>.</param>
    /// <returns>The number of condition folders written.</returns>
    /// <exception cref="PromptSetException">Two prompts share a condition id.</exception>
    public static int Write(string directory, IEnumerable<ScenarioPrompt> prompts, string generator = "Misalignment.Eval")
    {
        OutputPaths.Folder(directory, "the prompt-set folder");
        ArgumentNullException.ThrowIfNull(prompts);
        Directory.CreateDirectory(directory);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prompt in prompts)
        {
            string folder = Path.Combine(directory, prompt.ConditionId);
            if (!written.Add(prompt.ConditionId))
            {
                throw new PromptSetException(folder, $"two prompts have the condition id '{prompt.ConditionId}'.");
            }

            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, PromptSetFiles.SystemPrompt), prompt.SystemPrompt, Utf8);
            File.WriteAllText(Path.Combine(folder, PromptSetFiles.UserPrompt), prompt.UserInstruction, Utf8);
            File.WriteAllText(Path.Combine(folder, PromptSetFiles.EmailContent), prompt.EmailContent, Utf8);
            File.WriteAllText(Path.Combine(folder, PromptSetFiles.Metadata), prompt.SourceMetadataJson ?? Metadata(prompt, generator), Utf8);
        }

        return written.Count;
    }

    /// <summary>The <c>metadata.json</c> text of a rendered prompt, with the reference's keys and a few of ours.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="generator">The generator's name.</param>
    /// <returns>Indented JSON.</returns>
    public static string Metadata(ScenarioPrompt prompt, string generator = "Misalignment.Eval")
    {
        ArgumentNullException.ThrowIfNull(prompt);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("condition_id", prompt.ConditionId);
            json.WriteString("scenario", prompt.Condition.Scenario);
            json.WriteString("goal_type", prompt.Condition.GoalType.ToId());
            json.WriteString("goal_value", prompt.Condition.GoalValue.ToId());
            json.WriteString("urgency_type", prompt.Condition.Urgency.ToId());
            json.WriteBoolean("production_variant", prompt.Variant == PromptVariant.Prod);
            if (prompt.Options.ExtraInstructions == ExtraInstructions.None)
            {
                json.WriteBoolean("extra_system_instructions", false);
            }
            else
            {
                json.WriteString("extra_system_instructions", prompt.Options.ExtraInstructions.ToId());
            }

            json.WriteBoolean("alignment_faking", prompt.Options.AlignmentFakingWarning is not null);
            json.WriteString("alignment_faking_type", prompt.Options.AlignmentFakingWarning is null ? "none" : "custom");
            json.WriteString("tool_mode", prompt.Options.ToolMode.ToId());
            json.WriteString("generator", generator);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
