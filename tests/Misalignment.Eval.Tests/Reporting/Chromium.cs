using Microsoft.Playwright;

namespace Misalignment.Eval.Tests.Reporting;

/// <summary>
/// Debian's headless Chromium driven by Microsoft.Playwright through <c>ExecutablePath</c>: no browser is downloaded and
/// nothing is installed here (<c>.ci/run</c> installs the <c>chromium</c> package); without it the browser tests are skipped.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowserContext context)
    {
        _playwright = playwright;
        Context = context;
    }

    public static bool Installed => File.Exists(Executable);

    public IBrowserContext Context { get; }

    /// <summary>Starts the browser with a fresh profile in <paramref name="userDataDir"/>, offline by its flags.</summary>
    public static async Task<Chromium> StartAsync(string userDataDir, int width = 1280, int height = 900)
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Directory.CreateDirectory(userDataDir);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = Flags,
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Timeout = 60_000,
            });
            return new Chromium(playwright, context);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Where the tests put their screenshots: <c>artifacts/browser</c> beside the test assembly.</summary>
    public static string Artifact(string name)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "browser");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
    }
}

/// <summary>A fact that needs Debian's Chromium; skipped, saying so, when it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.Installed)
        {
            Skip = $"Headless Chromium is not installed at {Chromium.Executable}: install Debian's 'chromium' package (.ci/run does) to run the browser test.";
        }
    }
}
