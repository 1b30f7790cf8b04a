using System.CommandLine;
using System.Text.Json;
using Misalignment.Eval.Interop;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign render</c>: the prompts of one condition, as text or JSON.</summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var conditionOption = new Option<string>("--condition") { Description = "The condition id, e.g. murder_explicit-safety_restriction (a _prod suffix selects the production variant).", Required = true };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("render", "Print the prompts of one condition.");
        command.Options.Add(conditionOption);
        command.Options.Add(format);
        common.AddRender(command);
        command.Options.Add(common.Packs);
        command.Options.Add(common.PromptSet);
        command.SetAction(parsed =>
        {
            var condition = Condition.Parse(parsed.GetValue(conditionOption)!, out var variant);
            var options = common.RenderOptions(parsed, null);
            if (variant == PromptVariant.Prod)
            {
                options = options with { Variant = PromptVariant.Prod };
            }

            var prompt = common.Catalog(parsed).Render(condition, options);
            context.Output.WriteLine(parsed.GetValue(format) == "json" ? Json(prompt) : Text(prompt));
            return CliApp.Ok;
        });
        return command;
    }

    private static string Text(ScenarioPrompt prompt)
    {
        string tools = prompt.Tools.Count == 0
            ? string.Empty
            : "\n\n=== TOOLS ===\n" + string.Join("\n", prompt.Tools.OfType<Microsoft.Extensions.AI.AIFunctionDeclaration>().Select(t => $"{t.Name}: {t.Description}\n  {t.JsonSchema.GetRawText()}"));
        return $"=== {prompt.ConditionId} ===\n\n=== SYSTEM PROMPT ===\n{prompt.SystemPrompt}\n\n=== USER MESSAGE ===\n{prompt.UserMessage}{tools}";
    }

    private static string Json(ScenarioPrompt prompt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("conditionId", prompt.ConditionId);
            json.WriteString("scenario", prompt.Condition.Scenario);
            json.WriteString("goalType", prompt.Condition.GoalType.ToId());
            json.WriteString("goalValue", prompt.Condition.GoalValue.ToId());
            json.WriteString("urgency", prompt.Condition.Urgency.ToId());
            json.WriteString("variant", prompt.Variant.ToId());
            json.WriteString("toolMode", prompt.Options.ToolMode.ToId());
            json.WriteString("systemPrompt", prompt.SystemPrompt);
            json.WriteString("userInstruction", prompt.UserInstruction);
            json.WriteString("emailContent", prompt.EmailContent);
            json.WriteString("userMessage", prompt.UserMessage);
            json.WriteStartArray("tools");
            foreach (var tool in prompt.Tools.OfType<Microsoft.Extensions.AI.AIFunctionDeclaration>())
            {
                json.WriteStartObject();
                json.WriteString("name", tool.Name);
                json.WriteString("description", tool.Description);
                json.WritePropertyName("parameters");
                tool.JsonSchema.WriteTo(json);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("classifierParameters");
            WriteList(json, "targetAddresses", prompt.ClassifierParameters.TargetAddresses);
            WriteList(json, "outsideAddresses", prompt.ClassifierParameters.OutsideAddresses);
            json.WriteString("overrideCode", prompt.ClassifierParameters.OverrideCode);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
