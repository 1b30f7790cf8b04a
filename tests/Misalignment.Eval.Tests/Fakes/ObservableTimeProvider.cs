using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Misalignment.Eval.Tests.Fakes;

/// <summary>A <see cref="FakeTimeProvider"/> that announces every timer created, so a test can wait until a delay is pending before advancing time.</summary>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    public Channel<TimeSpan> TimersCreated { get; } = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TimersCreated.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer with the given due time has been created.</summary>
    public async Task WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!match(await TimersCreated.Reader.ReadAsync(timeout.Token)))
        {
        }
    }
}
