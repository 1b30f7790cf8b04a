using System.Globalization;
using Misalignment.Eval.Running;
using Spectre.Console;

namespace Misalignment.Eval.Cli;

/// <summary>Shows run progress: Spectre.Console bars per model on a terminal, plain log lines otherwise.</summary>
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

        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var tasks = models.ToDictionary(m => m, m => ctx.AddTask(Markup.Escape(m), maxValue: 1), StringComparer.Ordinal);
                // Updated synchronously (Progress<T> would post to the thread pool and could land after the bars close).
                var progress = new SynchronousProgress(snapshot =>
                {
                    foreach (var model in snapshot.Models)
                    {
                        var task = tasks[model.Model];
                        task.MaxValue = Math.Max(1, model.Total);
                        task.Value = model.Done;
                        task.Description = Markup.Escape(Describe(model));
                    }
                });
                await run(progress).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    public static string Describe(ModelProgress model) =>
        string.Create(CultureInfo.InvariantCulture, $"{model.Model}: {model.Done}/{model.Total}, harmful {model.Harmful}/{model.Scored}, errors {model.Errors}, retries {model.Retries}, rate-limit waits {model.RateLimitWaits}")
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

    /// <summary>Writes a line per model at every 10% of its work (and when it ends), synchronously, so logs stay in order.</summary>
    private sealed class PlainProgress(TextWriter error) : IProgress<RunProgress>
    {
        private readonly Dictionary<string, int> _lastDecile = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public void Report(RunProgress value)
        {
            lock (_lock)
            {
                foreach (var model in value.Models)
                {
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
    }
}
