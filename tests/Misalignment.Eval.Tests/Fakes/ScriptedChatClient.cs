using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Tests.Fakes;

/// <summary>A hand-written fake <see cref="IChatClient"/>: each call takes the next scripted step (a reply or an exception) and is recorded.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<ChatResponse>> _steps = new();
    private readonly Func<ChatResponse>? _repeat;

    public ScriptedChatClient(params string[] replies)
    {
        foreach (string reply in replies)
        {
            Then(reply);
        }
    }

    private ScriptedChatClient(Func<ChatResponse> repeat) => _repeat = repeat;

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public string LastPrompt => Calls[^1].Messages[^1].Text;

    public static ScriptedChatClient Always(string reply) => new(() => new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));

    public ScriptedChatClient Then(string reply)
    {
        _steps.Enqueue(() => new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        return this;
    }

    public ScriptedChatClient ThenCall(string name, Dictionary<string, object?> arguments, string? text = null)
    {
        int id = _steps.Count + 1;
        _steps.Enqueue(() =>
        {
            var contents = new List<AIContent>();
            if (text is not null)
            {
                contents.Add(new TextContent(text));
            }

            contents.Add(new FunctionCallContent($"call-{id}", name, arguments));
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } };
        });
        return this;
    }

    public ScriptedChatClient ThenThrow(Exception exception)
    {
        _steps.Enqueue(() => throw exception);
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add(([.. messages], options));
        var step = _steps.Count > 0 ? _steps.Dequeue() : _repeat ?? throw new InvalidOperationException("The script has no more steps.");
        return Task.FromResult(step());
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted client does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
