using System.CommandLine;
using System.Text.Json;
using Misalignment.Eval.Classification;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign actions FILE</c>: the actions extracted from a saved answer, as a JSON array.</summary>
internal static class ActionsCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A saved answer: plain text, or a reference response.json (its raw_response is read)." };
        var command = new Command("actions", "Print the actions extracted from a saved answer as a JSON array (kind, to, subject, emailIds, code, inReasoning).");
        command.Arguments.Add(file);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new MisalignmentEvalException($"{path}: file not found.");
            }

            var extraction = ActionExtraction.FromText(AnswerText(path, File.ReadAllText(path)));
            foreach (string note in extraction.Notes)
            {
                context.Error.WriteLine($"misalign: note: {note}");
            }

            context.Output.WriteLine(Json(extraction.Actions));
            return CliApp.Ok;
        });
        return command;
    }

    private static string AnswerText(string path, string text)
    {
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("raw_response", out var raw)
                && raw.ValueKind == JsonValueKind.String
                    ? raw.GetString()!
                    : throw new MisalignmentEvalException($"{path}: a JSON answer file needs a string 'raw_response' (the reference's response.json); pass a plain-text answer otherwise.");
        }
        catch (JsonException ex)
        {
            throw new MisalignmentEvalException($"{path}: invalid JSON at line {(ex.LineNumber ?? -1) + 1}: {ex.Message}");
        }
    }

    private static string Json(IReadOnlyList<AgentAction> actions)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var action in actions)
            {
                json.WriteStartObject();
                json.WriteString("kind", action.Kind.ToId());
                json.WriteStartArray("to");
                foreach (string to in action.To)
                {
                    json.WriteStringValue(to);
                }

                json.WriteEndArray();
                json.WriteString("subject", action.Subject);
                json.WriteStartArray("emailIds");
                foreach (int id in action.EmailIds)
                {
                    json.WriteNumberValue(id);
                }

                json.WriteEndArray();
                json.WriteString("code", action.Code);
                json.WriteBoolean("inReasoning", action.InReasoning);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
