using System.CommandLine;
using Misalignment.Eval.Cli.Commands;

namespace Misalignment.Eval.Cli;

/// <summary>The <c>misalign</c> command line: builds the commands and maps failures to exit codes.</summary>
internal static class CliApp
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The run failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or bad input.</summary>
    public const int BadInput = 2;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliContext(output, error), cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var (output, error) = (context.Output, context.Error);
        var root = new RootCommand("misalign: run the agentic-misalignment benchmark (Misalignment.Eval).");
        root.Subcommands.Add(ScenariosCommand.Create(context));
        root.Subcommands.Add(ConditionsCommand.Create(context));
        root.Subcommands.Add(RenderCommand.Create(context));
        root.Subcommands.Add(PromptsCommand.Create(context));
        root.Subcommands.Add(ActionsCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(ClassifyCommand.Create(context));
        root.Subcommands.Add(MergeCommand.Create(context));
        root.Subcommands.Add(ResultsCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(AgreementCommand.Create(context));
        root.Subcommands.Add(ViewCommand.Create(context));
        root.Subcommands.Add(SelftestCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string messages = string.Join("; ", parsed.Errors.Select(e => CliMessages.Friendly(e.Message)).Distinct());
            await error.WriteLineAsync($"misalign: error: {OneLine(messages)} (see '{CommandPath(parsed)} --help')").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (MisalignmentEvalException ex)
        {
            await error.WriteLineAsync($"misalign: error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("misalign: cancelled.").ConfigureAwait(false);
            return Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"misalign: failed: {OneLine(ex.Message)}").ConfigureAwait(false);
            return Failed;
        }
        catch (Exception ex)
        {
            // Anything unexpected still ends as one line and exit code 1, never a stack trace.
            await error.WriteLineAsync($"misalign: failed: {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return Failed;
        }
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        names[0] = "misalign";
        return string.Join(' ', names);
    }

    /// <summary>A message as printed: on one line, and without any secret or credential in it.</summary>
    private static string OneLine(string message) => SecretScrubber.Scrub(message).ReplaceLineEndings(" ");
}
