using Misalignment.Eval.Cli;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>Runs the <c>misalign</c> command line in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliApp.RunAsync(args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs with no API key in the environment (a loopback server is never sent a real key).</summary>
    public static async Task<CliResult> RunWithoutKeysAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error) { Environment = name => name.EndsWith("_API_KEY", StringComparison.Ordinal) ? null : Environment.GetEnvironmentVariable(name) };
        int exit = await CliApp.RunAsync(args, context);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
