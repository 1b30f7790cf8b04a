using System.Net;
using System.Net.Sockets;
using System.Text;
using Misalignment.Eval.Cli;
using Misalignment.Eval.Cli.Viewing;

namespace Misalignment.Eval.Tests.Cli;

/// <summary><c>misalign view</c>: serves a report folder read-only on 127.0.0.1.</summary>
public sealed class ViewCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("misalign-view-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task View_Serve_AnswersThePageAndRefusesParentPaths()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root, "reports")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "report.html"), "<html><body>the report</body></html>");
        await File.WriteAllTextAsync(Path.Combine(_root, "secret.txt"), "outside");
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var context = new CliContext(output, error) { Listening = ready.SetResult };

        var run = CliApp.RunAsync(["view", dir, "--serve", "--seconds", "60"], context, stop.Token);
        var address = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var client = new HttpClient();
        using var page = await client.GetAsync(address);
        string html = await page.Content.ReadAsStringAsync();
        using var named = await client.GetAsync(new Uri(address, "report.html"));
        using var missing = await client.GetAsync(new Uri(address, "nothing.html"));
        string parent = await RawGetAsync(address, "/../secret.txt");
        string encoded = await RawGetAsync(address, "/%2e%2e/secret.txt");
        await stop.CancelAsync();
        int exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        address.Host.Should().Be("127.0.0.1");
        output.ToString().Should().Contain($"at {address}");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("the report");
        named.StatusCode.Should().Be(HttpStatusCode.OK);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        parent.Should().MatchRegex("^HTTP/1\\.[01] (400|404) ").And.NotContain("outside");
        encoded.Should().MatchRegex("^HTTP/1\\.[01] (400|404) ").And.NotContain("outside");
        exit.Should().Be(CliApp.Ok, error.ToString());
    }

    [Theory]
    [InlineData("/", "report.html", 200)]
    [InlineData("/report.html?x=1", "report.html", 200)]
    [InlineData("/../secret.txt", null, 400)]
    [InlineData("/%2E%2E/secret.txt", null, 400)]
    [InlineData("/a/..%2f..%2fsecret.txt", null, 400)]
    [InlineData("/nothing.html", null, 404)]
    [InlineData("/%2Fetc%2Fpasswd", null, 404)]
    public void Resolve_KeepsRequestsInsideTheFolder(string raw, string? file, int status)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root, "r")).FullName;
        File.WriteAllText(Path.Combine(dir, "report.html"), "x");
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "outside");

        var (resolved, code) = ReportServer.Resolve(dir, raw);

        code.Should().Be(status);
        resolved.Should().Be(file is null ? null : Path.Combine(dir, file));
    }

    [Fact]
    public void Resolve_LinkInsideTheFolderToAFileOutside_IsNotServed()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root, "linked")).FullName;
        File.WriteAllText(Path.Combine(dir, "report.html"), "x");
        string secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(secret, "outside");
        File.CreateSymbolicLink(Path.Combine(dir, "leak.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(dir, "up"), _root);

        ReportServer.Resolve(dir, "/leak.txt").Status.Should().Be(404);
        ReportServer.Resolve(dir, "/up/secret.txt").Status.Should().Be(404);
        ReportServer.Resolve(dir, "/report.html").Status.Should().Be(200);
    }

    [Fact]
    public async Task View_MissingFolder_IsBadInputNamingIt()
    {
        string missing = Path.Combine(_root, "nope");

        var result = await CliRunner.RunAsync("view", missing, "--serve", "--seconds", "1");

        result.ExitCode.Should().Be(2);
        result.Error.Trim().Should().Contain(missing).And.NotContain("\n");
    }

    [Fact]
    public async Task View_FolderWithoutReport_IsBadInput()
    {
        var result = await CliRunner.RunAsync("view", _root, "--serve", "--seconds", "1");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("no report.html");
    }

    /// <summary>A GET written by hand, so the path reaches the server exactly as given (HttpClient would fold the dots).</summary>
    private static async Task<string> RawGetAsync(Uri address, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{address.Port}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }
}
