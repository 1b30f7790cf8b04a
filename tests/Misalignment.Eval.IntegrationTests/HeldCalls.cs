using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// An HTTP handler in an SDK client's pipeline that holds each call the protocol can batch and answers it with the
/// response the test gives it, so that a batch result is read by the SDK exactly as an online response is. Calls it
/// cannot batch go on to the network.
/// </summary>
internal sealed class HeldCalls(IBatchProtocol protocol) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<HttpResponseMessage>> _replies = new();
    private readonly ConcurrentQueue<BatchRequest> _held = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _count;

    /// <summary>A chat client of <paramref name="spec"/> whose batchable calls this handler holds.</summary>
    public static (IChatClient Client, HeldCalls Held) ClientFor(string spec, IBatchProtocol protocol, IReadOnlyDictionary<string, string> environment)
    {
        var held = new HeldCalls(protocol);
        var http = new ProviderHttp { Handlers = [(_, _) => held] };
        var client = ProviderFactory.Create(ModelSpec.Parse(spec, Read(environment)), TimeSpan.FromSeconds(30), Read(environment), null, http);
        return (client, held);
    }

    /// <summary>A chat client of <paramref name="spec"/> that calls the online endpoint.</summary>
    public static IChatClient OnlineClientFor(string spec, IReadOnlyDictionary<string, string> environment) =>
        ProviderFactory.Create(ModelSpec.Parse(spec, Read(environment)), TimeSpan.FromSeconds(30), Read(environment));

    /// <summary>The protocol of <paramref name="spec"/>, as its provider entry builds it.</summary>
    public static IBatchProtocol ProtocolFor(string spec, IReadOnlyDictionary<string, string> environment)
    {
        var model = ModelSpec.Parse(spec, Read(environment));
        var entry = ProviderFactory.Entries.Single(e => e.Info == model.Route.Provider);
        string? key = entry.Info.KeyVariable is { } variable && environment.TryGetValue(variable, out string? value) ? value : null;
        return entry.Batch!(new ProviderRequest(model, key, TimeSpan.FromSeconds(30), Read(environment), null));
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> calls are held, and returns them as the batch's requests.</summary>
    public async Task<IReadOnlyList<BatchRequest>> WaitForAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            (await _arrived.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("the SDK sends each call within the bound");
        }

        return [.. _held];
    }

    /// <summary>Answers the held call with a batch result.</summary>
    public void Answer(BatchResult result)
    {
        var response = new HttpResponseMessage((HttpStatusCode)result.StatusCode) { Content = new ByteArrayContent(result.Body.ToArray()) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        _replies[result.CustomId].TrySetResult(response).Should().BeTrue($"'{result.CustomId}' is answered once");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!protocol.IsBatchable(request))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        string id = $"call-{Interlocked.Increment(ref _count)}";
        var reply = _replies[id] = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _held.Enqueue(new BatchRequest(id, request.RequestUri!.AbsolutePath, body));
        _arrived.Release();
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _arrived.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Func<string, string?> Read(IReadOnlyDictionary<string, string> environment) =>
        name => environment.TryGetValue(name, out string? value) ? value : null;
}
