using System.Diagnostics;

namespace Misalignment.Eval.Tests.Reporting;

/// <summary>Headless Chromium (Debian's package), installed on first use when missing and the tests run as root.</summary>
internal static class Chromium
{
    private static readonly Lazy<string> Executable = new(Locate);

    public static string Path => Executable.Value;

    public static async Task<string> RunAsync(string userDataDir, params string[] args)
    {
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={userDataDir}" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await error;
        return await output;
    }

    private static string Locate()
    {
        foreach (string candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // .ci/run installs Debian's chromium; a developer running `dotnet test` as root on a fresh machine gets it here.
        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            Run("apt-get", "update -qq");
            Run("apt-get", "install -y -qq chromium");
            if (File.Exists("/usr/bin/chromium"))
            {
                return "/usr/bin/chromium";
            }
        }

        throw new InvalidOperationException("Headless Chromium is needed for the browser test: install Debian's 'chromium' package (apt-get install chromium).");
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }
}
