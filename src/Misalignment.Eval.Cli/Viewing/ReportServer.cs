using System.Net;
using System.Net.Sockets;

namespace Misalignment.Eval.Cli.Viewing;

/// <summary>
/// Serves one folder read-only on 127.0.0.1: GET and HEAD of files inside it, <c>/</c> as report.html; a path with
/// <c>..</c> is refused (400), anything else outside or missing is 404. Nothing is ever written.
/// </summary>
internal sealed class ReportServer : IDisposable
{
    private const int Attempts = 5;
    private readonly string _root;
    private readonly HttpListener _listener;

    private ReportServer(string root, HttpListener listener, Uri address)
    {
        _root = root;
        _listener = listener;
        Address = address;
    }

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening on a free loopback port.</summary>
    /// <param name="folder">The folder to serve.</param>
    /// <returns>The listening server.</returns>
    public static ReportServer Start(string folder)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        for (int attempt = 1; ; attempt++)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(address.ToString());
            try
            {
                listener.Start();
                return new ReportServer(root, listener, address);
            }
            catch (HttpListenerException) when (attempt < Attempts)
            {
                // Another process took the port between probing and binding: try another.
                listener.Close();
            }
        }
    }

    /// <summary>Answers requests until cancelled.</summary>
    /// <param name="cancellationToken">Ends serving.</param>
    /// <returns>A task that completes when serving has stopped.</returns>
    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await AnswerAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _listener.Close();

    /// <summary>The file a request path names inside the root, or why not.</summary>
    /// <param name="root">The served folder (full path).</param>
    /// <param name="rawPath">The request's raw path, still percent-encoded, maybe with a query.</param>
    /// <returns>The file and status 200, or <see langword="null"/> and 400 or 404.</returns>
    internal static (string? File, int Status) Resolve(string root, string rawPath)
    {
        string path = rawPath.Split('?', '#')[0];
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return (null, 400);
        }

        var segments = decoded.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s == ".." || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal) || s.Contains(':', StringComparison.Ordinal)))
        {
            return (null, 400);
        }

        string relative = segments.Length == 0 ? "report.html" : Path.Combine(segments);
        string full = Path.GetFullPath(Path.Combine(root, relative));
        bool inside = full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside && File.Exists(full) && Real(full).StartsWith(Real(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? (full, 200) : (null, 404);
    }

    /// <summary>A path with every link on the way resolved, so a link inside the folder cannot serve a file outside it.</summary>
    private static string Real(string path)
    {
        var parts = Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = Path.GetPathRoot(Path.GetFullPath(path)) ?? "/";
        foreach (string part in parts)
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = Path.GetFullPath(target.FullName);
            }
        }

        return current;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string ContentType(string file) => Path.GetExtension(file).ToUpperInvariant() switch
    {
        ".HTML" or ".HTM" => "text/html; charset=utf-8",
        ".JSON" => "application/json",
        ".CSV" => "text/csv; charset=utf-8",
        ".MD" or ".TXT" => "text/plain; charset=utf-8",
        ".PNG" => "image/png",
        ".SVG" => "image/svg+xml",
        ".JS" => "text/javascript",
        ".CSS" => "text/css",
        _ => "application/octet-stream",
    };

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        try
        {
            var request = context.Request;
            if (request.HttpMethod is not ("GET" or "HEAD"))
            {
                response.StatusCode = 405;
                return;
            }

            var (file, status) = Resolve(_root, request.RawUrl ?? "/");
            response.StatusCode = status;
            if (file is null)
            {
                return;
            }

            response.ContentType = ContentType(file);
            response.Headers["X-Content-Type-Options"] = "nosniff";
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, useAsync: true);
            response.ContentLength64 = stream.Length;
            if (request.HttpMethod == "GET")
            {
                await stream.CopyToAsync(response.OutputStream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpListenerException or UnauthorizedAccessException or OperationCanceledException)
        {
            // A client that went away, or a file removed mid-answer: nothing to tell anyone.
        }
    }
}
