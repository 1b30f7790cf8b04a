using System.CommandLine;
using Misalignment.Eval.Interop;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign prompts export|import</c>: prompt sets in the reference layout.</summary>
internal static class PromptsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("prompts", "Export or import prompt sets in the reference implementation's layout.");
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(Import(context));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var common = new CommonOptions();
        var output = new Option<string>("--out") { Description = "The prompt-set folder to write.", Required = true };
        var command = new Command("export", "Write the prompts of a grid as a prompt set: a folder per condition id with system_prompt.txt, user_prompt.txt, email_content.txt and metadata.json.");
        command.Options.Add(output);
        common.AddGrid(command);
        common.AddRender(command);
        command.Options.Add(common.Packs);
        command.Options.Add(common.PromptSet);
        command.SetAction(parsed =>
        {
            var spec = CommonOptions.LoadConfig(parsed, common.Config, context);
            string directory = OutputPaths.Folder(parsed.GetValue(output), "--out");
            int written;
            if (parsed.GetValue(common.PromptSet) is { } source && spec is null && !common.HasAxisFlags(parsed))
            {
                // A whole imported set is written back as it is, each prompt with its own variant.
                written = PromptSet.Write(directory, PromptSet.Load(source).Prompts);
            }
            else
            {
                var catalog = common.Catalog(parsed);
                var options = common.RenderOptions(parsed, spec);
                written = PromptSet.Write(directory, common.Grid(parsed, catalog, spec).Select(c => catalog.Render(c, options)));
            }

            context.Output.WriteLine($"Wrote {written} conditions to {Path.GetFullPath(directory)}");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Import(CliContext context)
    {
        var folder = new Argument<string>("dir") { Description = "The prompt-set folder." };
        var command = new Command("import", "Check a prompt-set folder and list its conditions.");
        command.Arguments.Add(folder);
        command.SetAction(parsed =>
        {
            var set = PromptSet.Load(parsed.GetValue(folder)!);
            foreach (var prompt in set.Prompts)
            {
                context.Output.WriteLine(prompt.ConditionId);
            }

            context.Output.WriteLine($"{set.Prompts.Count} conditions in {set.Scenarios.Count} scenarios ({string.Join(", ", set.Scenarios.Select(s => s.Id))}): {set.Directory}");
            return CliApp.Ok;
        });
        return command;
    }
}
