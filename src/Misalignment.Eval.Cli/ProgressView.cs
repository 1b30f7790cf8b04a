using System.Globalization;
using Misalignment.Eval.Running;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Misalignment.Eval.Cli;

/// <summary>
/// The live display: one line per model that always fits the terminal (the model name gives way, truncated with an ellipsis),
/// a batched model's batches on a line under it, a stopped model's reason on a line of its own under it, and a batched judge's batches on a line of their own. Laid out at render time, so it follows a resized terminal.
/// </summary>
internal sealed class ProgressView(RunProgress snapshot) : IRenderable
{
    private const string Ellipsis = "…";

    public Measurement Measure(Spectre.Console.Rendering.RenderOptions options, int maxWidth) => new(1, maxWidth);

    public IEnumerable<Segment> Render(Spectre.Console.Rendering.RenderOptions options, int maxWidth)
    {
        foreach (string line in Lines(snapshot, maxWidth))
        {
            yield return new Segment(line);
            yield return Segment.LineBreak;
        }
    }

    /// <summary>The display's lines at a width: none longer than <paramref name="width"/>.</summary>
    public static IReadOnlyList<string> Lines(RunProgress snapshot, int width)
    {
        width = Math.Max(1, width);
        var lines = new List<string> { Fit(string.Create(CultureInfo.InvariantCulture, $"elapsed {snapshot.Elapsed:hh\\:mm\\:ss}"), width) };
        int digits = snapshot.Models.Count == 0 ? 1 : snapshot.Models.Max(m => m.Total.ToString(CultureInfo.InvariantCulture).Length);
        foreach (var model in snapshot.Models)
        {
            string stats = Stats(model, digits);
            int nameWidth = width - stats.Length - 1;
            lines.Add(nameWidth >= 4 ? Fit(model.Model, nameWidth).PadRight(nameWidth) + " " + stats : Fit(stats, width));
            if (BatchLine(model) is { } batch)
            {
                lines.Add(Fit("  " + batch, width));
            }
            if (model.Failure is { } failure)
            {
                lines.Add(Fit("  stopped: " + failure.ReplaceLineEndings(" "), width));
            }
        }

        if (snapshot.Judge is { } judge && BatchLine(judge) is { } judging)
        {
            lines.Add(Fit($"judge {judge.Model} {judging}", width));
        }

        return lines;
    }

    /// <summary>A model's counts, in a fixed order and compact form (about 50 columns; retries and rate-limit waits only once there are some), padded to <paramref name="digits"/> so the models' columns line up.</summary>
    public static string Stats(ModelProgress model, int digits)
    {
        string eta = model.Failure is not null ? "stopped" : model.Done >= model.Total ? "done" : model.Eta is { } e ? "eta " + e.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "eta --:--:--";
        string retries = model.Retries + model.RateLimitWaits > 0 ? string.Create(CultureInfo.InvariantCulture, $" retry {model.Retries}/{model.RateLimitWaits}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{model.Done.ToString(CultureInfo.InvariantCulture).PadLeft(digits)}/{model.Total.ToString(CultureInfo.InvariantCulture).PadRight(digits)} harmful {model.Harmful.ToString(CultureInfo.InvariantCulture).PadLeft(digits)}/{model.Scored.ToString(CultureInfo.InvariantCulture).PadRight(digits)} err {model.Errors}{retries} {eta}");
    }

    /// <summary>
    /// A batched model's batches: the oldest in flight (its id shortened, provider, answered of its requests, errors,
    /// phase, time waited), how many more are in flight, and the requests held for the next; null when there are none.
    /// </summary>
    public static string? BatchLine(ModelProgress model)
    {
        if (model.BatchesInFlight == 0 && model.BatchHeld == 0)
        {
            return null;
        }

        var text = new System.Text.StringBuilder("batch");
        if (model.BatchId is { } id)
        {
            var waiting = model.BatchWaiting ?? TimeSpan.Zero;
            text.Append(CultureInfo.InvariantCulture, $" {ShortId(id)} {model.BatchProvider}: {model.BatchSucceeded}/{model.BatchRequests} ok, {model.BatchErrored} err, {model.BatchPhase}, waiting {(long)waiting.TotalHours:00}:{waiting.Minutes:00}:{waiting.Seconds:00}");
            if (model.BatchesInFlight > 1)
            {
                text.Append(CultureInfo.InvariantCulture, $" (+{model.BatchesInFlight - 1} more)");
            }
        }

        if (model.BatchHeld > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(model.BatchId is null ? ":" : ";")} {model.BatchHeld} held");
        }

        return text.ToString();
    }

    /// <summary>A batch id's last characters (its prefix, <c>batch_</c> or <c>msgbatch_</c>, is the same for all).</summary>
    public static string ShortId(string id) => id.Length <= 10 ? id : string.Concat(Ellipsis, id.AsSpan(id.Length - 8));

    /// <summary>Cuts text to a width, the last column an ellipsis when something was cut.</summary>
    public static string Fit(string text, int width) =>
        text.Length <= width ? text : string.Concat(text.AsSpan(0, Math.Max(0, width - 1)), Ellipsis);
}
