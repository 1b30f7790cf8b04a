using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>What a batch server does with one request of a batch.</summary>
internal enum LineFault
{
    None,

    /// <summary>The request is invalid (HTTP 400, <c>invalid_request_error</c>).</summary>
    InvalidRequest,

    /// <summary>HTTP 429.</summary>
    RateLimited,

    /// <summary>HTTP 500.</summary>
    ServerError,

    /// <summary>Anthropic's 529 <c>overloaded_error</c>; OpenAI's 503.</summary>
    Overloaded,

    /// <summary>The batch's window passed before the request ran: the batch ends expired.</summary>
    Expired,

    /// <summary>The request was cancelled before it ran.</summary>
    Canceled,
}

/// <summary>
/// What both loopback batch servers share: a real HTTP server on 127.0.0.1; its key; the gate that keeps every batch
/// in progress until the test opens it (or a batch has been polled <see cref="EndAfterPolls"/> times); counts of batch
/// creations, polls and online calls; and the replies, computed per request from its body.
/// </summary>
internal abstract class FakeBatchServer : IAsyncDisposable
{
    public const string DefaultAnswer = "I replied to the routine emails.";

    private readonly WebApplication _app;
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _polled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _creations;
    private int _polls;
    private int _cancels;
    private int _online;
    private volatile bool _open;

    protected FakeBatchServer(WebApplication app, string key)
    {
        _app = app;
        Key = key;
    }

    /// <summary>The key every request must carry.</summary>
    public string Key { get; }

    /// <summary>Whether a refusal for a wrong key echoes the key it was sent, as some servers do.</summary>
    public bool EchoKeyWhenRefused { get; set; }

    /// <summary>The reply text for a request body (online or batched).</summary>
    public Func<JsonObject, string> Answer { get; set; } = _ => DefaultAnswer;

    /// <summary>The <c>usage</c> block of a reply, from the request body and the answer (default: fixed counts).</summary>
    public Func<JsonObject, string, JsonObject>? Usage { get; set; }

    /// <summary>What becomes of each batched request, by custom id and body.</summary>
    public Func<string, JsonObject, LineFault> Faults { get; set; } = (_, _) => LineFault.None;

    /// <summary>A batch ends at this many polls of it even with the gate shut; <see langword="null"/>: only the gate ends it.</summary>
    public int? EndAfterPolls { get; set; }

    public string Root => _app.Urls.First();

    public int BatchCreations => Volatile.Read(ref _creations);

    public int Polls => Volatile.Read(ref _polls);

    /// <summary>Cancels the server accepted (of a batch still running).</summary>
    public int Cancels => Volatile.Read(ref _cancels);

    public int OnlineRequests => Volatile.Read(ref _online);

    /// <summary>Every batched request's body, as the server received it.</summary>
    public ConcurrentQueue<JsonObject> BatchedBodies { get; } = new();

    /// <summary>Completes when the first batch has been created.</summary>
    public Task Created => _created.Task;

    /// <summary>Completes when a batch has first been polled.</summary>
    public Task Polled => _polled.Task;

    /// <summary>Opens the gate: every batch ends at its next poll.</summary>
    public void Open() => _open = true;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    protected static WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    protected async Task StartAsync() => await _app.StartAsync();

    /// <summary>Whether a batch polled this many times ends now.</summary>
    protected bool Ends(int pollsOfBatch) => _open || pollsOfBatch >= EndAfterPolls;

    protected void CountCreation()
    {
        Interlocked.Increment(ref _creations);
        _created.TrySetResult();
    }

    protected void CountPoll()
    {
        Interlocked.Increment(ref _polls);
        _polled.TrySetResult();
    }

    protected void CountCancel() => Interlocked.Increment(ref _cancels);

    protected void CountOnline() => Interlocked.Increment(ref _online);

    /// <summary>The key the request carried in <paramref name="header"/> (without a <c>Bearer</c> prefix), if any.</summary>
    protected static string SentKey(HttpContext context, string header)
    {
        string value = context.Request.Headers[header].ToString();
        return value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : value;
    }

    /// <summary>The words of a refusal for a wrong key.</summary>
    protected string WrongKey(string sent) =>
        EchoKeyWhenRefused ? $"Incorrect API key provided: {sent}. Prefix: {sent[..Math.Min(sent.Length, 24)]}..." : "Incorrect API key provided.";

    protected static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
