using System.Threading.Channels;

namespace Misalignment.Eval.Tests.Fakes;

/// <summary>A hand-written fake <see cref="IChatModel"/>: runs a behaviour per call, counts calls and signals each one.</summary>
internal sealed class FakeChatModel(string name, Func<ModelRequest, int, CancellationToken, Task<ModelResponse>> behaviour) : IChatModel
{
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;

    public string Name { get; } = name;

    public int Calls => Volatile.Read(ref _calls);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Receives the call number of every call as it starts.</summary>
    public Channel<int> Started { get; } = Channel.CreateUnbounded<int>();

    public static FakeChatModel Answering(string name, string text = "I replied to the routine emails.") =>
        new(name, (_, _, _) => Task.FromResult(new ModelResponse { Text = text }));

    public async Task<ModelResponse> RespondAsync(ModelRequest request, CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        int now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        Started.Writer.TryWrite(call);
        try
        {
            return await behaviour(request, call, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
