using System.Diagnostics;
using Misalignment.Eval.Cli;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>Runs the misalign CLI in-process (captured output) or as a child process.</summary>
internal static class CliProcess
{
    public static Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(params string[] args) =>
        RunInProcessAsync(new Dictionary<string, string>(), args);

    public static async Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliApp.RunAsync(args, new CliContext(output, error)
        {
            Environment = name => environment.TryGetValue(name, out string? value) ? value : name.EndsWith("_API_KEY", StringComparison.Ordinal) ? null : Environment.GetEnvironmentVariable(name),
        });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The CLI as built in its own project (the test's output folder lacks the CLI's package dependencies).</summary>
    public static string CliDll
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = output.Name;
            string configuration = output.Parent!.Name;
            for (var dir = output; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Misalignment.Eval.sln")))
                {
                    string dll = Path.Combine(dir.FullName, "src", "Misalignment.Eval.Cli", "bin", configuration, framework, "misalign.dll");
                    return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the CLI first: {dll} is missing.");
                }
            }

            throw new DirectoryNotFoundException("The repository root was not found above " + AppContext.BaseDirectory);
        }
    }

    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>The CLI as a child process, with <paramref name="environment"/> set over the test's own (and no inherited OpenAI key).</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(CliDll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("OPENAI_API_KEY");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
