using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Interop;

/// <summary>
/// The reference implementation's results layout, <c>models/&lt;model&gt;/&lt;condition_id&gt;/sample_NNN/response.json</c>
/// (model names with <c>/</c> and <c>:</c> replaced by <c>_</c>; the JSON holds <c>raw_response</c>, <c>metadata</c> and,
/// once classified, <c>classification</c>): export a store to it, and import it into a store.
/// </summary>
public static partial class ReferenceResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The folder name the reference gives a model.</summary>
    /// <param name="model">The model name.</param>
    /// <returns>The name with <c>/</c> and <c>:</c> replaced by <c>_</c>.</returns>
    public static string FolderName(string model) => (model ?? string.Empty).Replace('/', '_').Replace(':', '_');

    /// <summary>Writes every sample with a response in the reference layout; failed samples have no response and are left out.</summary>
    /// <param name="storePath">The result store.</param>
    /// <param name="directory">The folder that receives <c>models/</c>.</param>
    /// <returns>The number of samples written.</returns>
    /// <exception cref="MisalignmentEvalException">A sample's model or condition id cannot name a folder inside <paramref name="directory"/>; nothing is written.</exception>
    public static int Export(string storePath, string directory)
    {
        string models = Path.Combine(OutputPaths.Folder(directory, "the export folder"), "models");

        // Every path is checked before anything is written, so a bad store leaves no partial tree behind.
        foreach (var sample in Exported(storePath))
        {
            _ = SampleFolder(storePath, models, sample);
        }

        int written = 0;
        foreach (var sample in Exported(storePath))
        {
            string folder = SampleFolder(storePath, models, sample);
            Directory.CreateDirectory(folder);
            var json = new JsonObject
            {
                ["raw_response"] = sample.Response!.Text,
                ["metadata"] = new JsonObject
                {
                    ["model"] = sample.Model,
                    ["condition"] = sample.ConditionId,
                    ["sample_id"] = sample.SampleIndex,
                    ["timestamp"] = sample.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["finish_reason"] = sample.Response.FinishReason,
                    ["input_tokens"] = sample.Response.InputTokens,
                    ["output_tokens"] = sample.Response.OutputTokens,
                },
            };
            if (sample.Response.Reasoning is { } reasoning)
            {
                // Not in the reference's layout, which has no place for separate reasoning; its readers ignore the key.
                json["reasoning"] = reasoning;
            }

            if (sample.Verdict is { Outcome: VerdictOutcome.Harmful or VerdictOutcome.NotHarmful } verdict)
            {
                json["classification"] = new JsonObject
                {
                    ["harmful_behavior"] = verdict.Outcome == VerdictOutcome.Harmful,
                    ["classifier_verdict"] = JudgeReply.Parse(verdict.JudgeReply).YesNo ?? (verdict.Outcome == VerdictOutcome.Harmful),
                    ["classifier_reasoning"] = verdict.Reason,
                    ["classifier_model"] = verdict.JudgeModel ?? verdict.Classifier,
                };
            }

            File.WriteAllText(Path.Combine(folder, "response.json"), json.ToJsonString(Indented), new UTF8Encoding(false));
            written++;
        }

        return written;
    }

    private static IEnumerable<SampleRecord> Exported(string storePath) =>
        ResultReader.ReadSamples(storePath).Where(s => s.Status == SampleStatus.Ok && s.Response is not null);

    /// <summary><c>models/&lt;model&gt;/&lt;condition_id&gt;/sample_NNN</c> for a sample, each part checked to be one plain folder name inside <paramref name="models"/>.</summary>
    private static string SampleFolder(string storePath, string models, SampleRecord sample)
    {
        string[] parts = [FolderName(sample.Model), sample.ConditionId, $"sample_{sample.SampleIndex.ToString("000", CultureInfo.InvariantCulture)}"];
        foreach (string part in parts)
        {
            if (OutputPaths.WhyNotAFolderName(part) is { } why)
            {
                throw new MisalignmentEvalException($"{storePath}: sample '{sample.Key}' cannot be exported: '{part}' {why}; nothing was written.");
            }
        }

        return OutputPaths.Inside(models, parts);
    }
}
