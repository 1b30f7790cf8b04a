using System.CommandLine;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign conditions</c>: one condition id per line, in a stable order.</summary>
internal static class ConditionsCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var command = new Command("conditions", "Print the condition ids of a grid, one per line, in a stable order.");
        common.AddGrid(command);
        command.Options.Add(common.Prod);
        command.Options.Add(common.Packs);
        command.SetAction(parsed =>
        {
            var spec = CommonOptions.LoadConfig(parsed, common.Config, context);
            var variant = common.RenderOptions(parsed, spec).Variant;
            foreach (var condition in common.Grid(parsed, common.Catalog(parsed), spec))
            {
                context.Output.WriteLine(condition.GetId(variant));
            }

            return CliApp.Ok;
        });
        return command;
    }
}
