using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Misalignment.Eval.Cli.Viewing;

namespace Misalignment.Eval.Cli.Commands;

/// <summary><c>misalign view DIR</c>: opens DIR/report.html in a browser, or serves DIR read-only on 127.0.0.1 when none can be opened.</summary>
internal static class ViewCommand
{
    public static Command Create(CliContext context)
    {
        var folder = new Argument<string>("DIR") { Description = "A folder holding report.html (what 'misalign report' wrote)." };
        var serve = new Option<bool>("--serve") { Description = "Serve the folder on 127.0.0.1 and print the address instead of opening a browser." };
        var seconds = new Option<int?>("--seconds") { Description = "Stop serving after this many seconds (default: until Ctrl-C)." };
        var command = new Command("view", "Open a report in the browser, or serve it on 127.0.0.1 when no browser can be opened.");
        command.Arguments.Add(folder);
        command.Options.Add(serve);
        command.Options.Add(seconds);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string dir = parsed.GetValue(folder)!;
            if (!Directory.Exists(dir))
            {
                await context.Error.WriteLineAsync($"misalign: error: {dir}: no such folder.").ConfigureAwait(false);
                return CliApp.BadInput;
            }

            string report = Path.Combine(Path.GetFullPath(dir), "report.html");
            if (!File.Exists(report))
            {
                await context.Error.WriteLineAsync($"misalign: error: {dir}: no report.html here (write one with 'misalign report --format html').").ConfigureAwait(false);
                return CliApp.BadInput;
            }

            if (parsed.GetValue(seconds) is <= 0)
            {
                await context.Error.WriteLineAsync("misalign: error: --seconds: must be at least 1.").ConfigureAwait(false);
                return CliApp.BadInput;
            }

            if (!parsed.GetValue(serve) && TryOpen(report, context))
            {
                await context.Output.WriteLineAsync($"Opened {report}").ConfigureAwait(false);
                return CliApp.Ok;
            }

            return await ServeAsync(dir, parsed.GetValue(seconds), context, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ServeAsync(string dir, int? seconds, CliContext context, CancellationToken cancellationToken)
    {
        using var server = ReportServer.Start(dir);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (seconds is { } limit)
        {
            bound.CancelAfter(TimeSpan.FromSeconds(limit));
        }

        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Serving {Path.GetFullPath(dir)} at {server.Address} ({(seconds is { } s ? $"for {s} s" : "Ctrl-C to stop")})")).ConfigureAwait(false);
        await context.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        context.Listening?.Invoke(server.Address);
        await server.ServeAsync(bound.Token).ConfigureAwait(false);
        return CliApp.Ok;
    }

    /// <summary>Opens the report with the system's handler (xdg-open, open, start); false when there is no display or nothing could open it.</summary>
    private static bool TryOpen(string report, CliContext context)
    {
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(context.Environment("DISPLAY")) && string.IsNullOrEmpty(context.Environment("WAYLAND_DISPLAY")))
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(report) { UseShellExecute = true });
            return true;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException or FileNotFoundException)
        {
            return false;
        }
    }
}
