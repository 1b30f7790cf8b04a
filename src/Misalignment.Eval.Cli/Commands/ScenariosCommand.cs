using System.CommandLine;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign scenarios</c>: list scenarios with their axes; <c>scenarios validate</c>: check scenario packs.</summary>
internal static class ScenariosCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var command = new Command("scenarios", "List the scenarios with their axes.");
        command.Options.Add(common.Packs);
        command.SetAction(parsed =>
        {
            foreach (var scenario in common.Catalog(parsed).Scenarios)
            {
                var axes = scenario.Axes;
                context.Output.WriteLine($"{scenario.Id,-12} {scenario.DisplayName} (version {scenario.Version})");
                context.Output.WriteLine($"{string.Empty,-12} goal types: {string.Join(", ", axes.GoalTypes.Select(t => t.ToId()))}");
                context.Output.WriteLine($"{string.Empty,-12} goal values: {string.Join(", ", axes.GoalValues.Select(v => v.ToId()))}");
                context.Output.WriteLine($"{string.Empty,-12} urgencies: {string.Join(", ", axes.Urgencies.Select(u => u.ToId()))}");
            }

            return CliApp.Ok;
        });

        var folders = new Argument<string[]>("pack") { Description = "Scenario-pack folders (default: the built-in scenarios).", Arity = ArgumentArity.ZeroOrMore };
        var validate = new Command("validate", "Render every condition of scenario packs in both variants and tool modes and report problems.");
        validate.Arguments.Add(folders);
        validate.SetAction(parsed =>
        {
            string[] paths = parsed.GetValue(folders) ?? [];
            var packs = paths.Length > 0
                ? paths.Select(ScenarioPack.LoadFromDirectory).ToList()
                : ScenarioCatalog.CreateBuiltIn().Scenarios.OfType<ScenarioPack>().ToList();
            bool valid = true;
            foreach (var pack in packs)
            {
                var report = pack.Validate();
                foreach (string warning in report.Warnings)
                {
                    context.Output.WriteLine($"warning: {warning}");
                }

                foreach (string error in report.Errors)
                {
                    context.Output.WriteLine($"error: {error}");
                }

                context.Output.WriteLine($"{pack.Id}: {report.RendersChecked} renders checked, {report.Errors.Count} errors, {report.Warnings.Count} warnings ({report.Pack})");
                valid &= report.IsValid;
            }

            return valid ? CliApp.Ok : CliApp.BadInput;
        });
        command.Subcommands.Add(validate);
        return command;
    }
}
