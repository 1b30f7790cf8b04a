using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Testing;

/// <summary>
/// An <see cref="IChatClient"/> for offline tests: answers every call with the reply a function computes from the
/// conversation (or with a fixed text), and records the calls.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatMessage> _reply;
    private readonly List<IReadOnlyList<ChatMessage>> _calls = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a client that answers with whatever <paramref name="reply"/> returns for the conversation.</summary>
    /// <param name="reply">The reply (text) for a conversation.</param>
    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, string> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        _reply = (messages, _) => new ChatMessage(ChatRole.Assistant, reply(messages));
    }

    /// <summary>Creates a client that answers with whatever message <paramref name="reply"/> builds (for tool calls).</summary>
    /// <param name="reply">The reply message for a conversation and its options.</param>
    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatMessage> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        _reply = reply;
    }

    /// <summary>A client that always answers the same text.</summary>
    /// <param name="text">The answer.</param>
    /// <returns>The client.</returns>
    public static ScriptedChatClient Always(string text) => new(_ => text);

    /// <summary>The conversations received, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ChatMessage> list = [.. messages];
        lock (_lock)
        {
            _calls.Add(list);
        }

        return Task.FromResult(new ChatResponse(_reply(list, options)) { FinishReason = ChatFinishReason.Stop, ModelId = "scripted" });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing to release.
    }
}
