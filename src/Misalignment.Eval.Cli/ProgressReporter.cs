using System.Globalization;
using Misalignment.Eval.Running;
using Spectre.Console;

namespace Misalignment.Eval.Cli;

/// <summary>Shows run progress: a live line per model on a terminal, plain log lines otherwise.</summary>
internal static class ProgressReporter
{
    public static async Task RunAsync(CliContext context, IReadOnlyList<string> models, Func<IProgress<RunProgress>, Task> run)
    {
        if (!context.Interactive)
        {
            var plain = new PlainProgress(context.Error);
            await run(plain).ConfigureAwait(false);
            return;
        }

        var console = AnsiConsole.Console;
        await RunLiveAsync(console, models, run).ConfigureAwait(false);
    }

    /// <summary>Runs with the live display on a console: one compact line per model (see <see cref="ProgressView"/>).</summary>
    public static async Task RunLiveAsync(IAnsiConsole console, IReadOnlyList<string> models, Func<IProgress<RunProgress>, Task> run)
    {
        var initial = new RunProgress { Models = [.. models.Select(m => new ModelProgress { Model = m })] };
        await console.Live(new ProgressView(initial))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async ctx =>
            {
                // Updated synchronously (Progress<T> would post to the thread pool and could land after the display closes);
                // redrawn at most every 100 ms, and once more with the last snapshot when the display closes.
                long lastDraw = 0;
                var progress = new SynchronousProgress(snapshot =>
                {
                    ctx.UpdateTarget(new ProgressView(snapshot));
                    long now = Environment.TickCount64;
                    if (now - lastDraw >= 100 || snapshot.Models.All(m => m.Done >= m.Total || m.Failure is not null))
                    {
                        lastDraw = now;
                        ctx.Refresh();
                    }
                });
                await run(progress).ConfigureAwait(false);
                ctx.Refresh();
            }).ConfigureAwait(false);
    }

    public static string Describe(ModelProgress model) =>
        string.Create(CultureInfo.InvariantCulture, $"{model.Model}: {model.Done}/{model.Total}, harmful {model.Harmful}/{model.Scored}, errors {model.Errors}, retries {model.Retries}, rate-limit waits {model.RateLimitWaits}")
        + (model.Batched > 0 ? string.Create(CultureInfo.InvariantCulture, $", batched {model.Batched}") : string.Empty)
        + (model.Failure is null ? string.Empty : $" - STOPPED: {model.Failure}");

    private sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        private readonly Lock _lock = new();

        public void Report(RunProgress value)
        {
            lock (_lock)
            {
                report(value);
            }
        }
    }

    /// <summary>
    /// Writes a line per model at every 10% of its work (and when it ends), and a line when a batched model's batches
    /// change (submitted, a new phase, ended), synchronously, so logs stay in order.
    /// </summary>
    private sealed class PlainProgress(TextWriter error) : IProgress<RunProgress>
    {
        private readonly Dictionary<string, int> _lastDecile = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _lastBatch = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public void Report(RunProgress value)
        {
            lock (_lock)
            {
                if (value.Judge is { } judge)
                {
                    BatchEvent(value.Elapsed, "judge " + judge.Model, judge);
                }

                foreach (var model in value.Models)
                {
                    BatchEvent(value.Elapsed, model.Model, model);

                    int decile = model.Total == 0 ? 10 : (int)(model.Done * 10 / model.Total);
                    if (_lastDecile.GetValueOrDefault(model.Model, -1) == decile)
                    {
                        continue;
                    }

                    _lastDecile[model.Model] = decile;
                    string eta = model.Eta is { } e ? $", eta {e:hh\\:mm\\:ss}" : string.Empty;
                    error.WriteLine($"[{value.Elapsed:hh\\:mm\\:ss}] {Describe(model)}{eta}");
                }
            }
        }

        /// <summary>A line when the batches of a model (or of the judge, named <c>judge SPEC</c>) change: submitted, a new phase, ended.</summary>
        private void BatchEvent(TimeSpan elapsed, string name, ModelProgress batches)
        {
            string state = string.Create(CultureInfo.InvariantCulture, $"{batches.BatchesInFlight}|{batches.BatchId}|{batches.BatchPhase}");
            if (_lastBatch.GetValueOrDefault(name, "0||") != state)
            {
                _lastBatch[name] = state;
                error.WriteLine($"[{elapsed:hh\\:mm\\:ss}] {name}: {ProgressView.BatchLine(batches) ?? "no batch in flight"}");
            }
        }
    }
}
