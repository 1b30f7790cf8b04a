using Misalignment.Eval.Reporting;
using ScottPlot;

namespace Misalignment.Eval.Cli;

/// <summary>A report writer that draws the per-scenario harmful-rate chart as a PNG (ScottPlot): a bar per model in each scenario, with its Wilson interval as a whisker.</summary>
internal sealed class ChartPngWriter : IReportWriter
{
    // A categorical palette with neither green nor red, which would read as safe and harmful.
    private static readonly Color[] Palette = [.. new[] { "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#393b79" }.Select(Color.FromHex)];

    private static readonly Lazy<bool> Drawable = new(Probe);

    /// <summary>
    /// Whether this platform can draw the chart: the tool package carries SkiaSharp's native library for linux-x64,
    /// osx and win-x64 only (to stay small); elsewhere the HTML report's SVG charts stand in.
    /// </summary>
    public static bool Available => Drawable.Value;

    public string Format => "png";

    public string Write(ReportContext context)
    {
        if (!Available)
        {
            throw new MisalignmentEvalException($"chart.png cannot be drawn on {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}: the tool carries SkiaSharp's native library for linux-x64, osx and win-x64 only; report.html has the same charts.");
        }

        var aggregation = context.Aggregation;
        string directory = context.Directory;
        var scenarios = aggregation.By(RollUp.Scenario).Select(g => g.Value).Distinct().ToList();
        var models = aggregation.Models;
        Color ColorOf(int model) => Palette[model % Palette.Length];
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var whiskers = new List<(double X, double Low, double High)>();
        int groupWidth = models.Count + 1;
        for (int s = 0; s < scenarios.Count; s++)
        {
            ticks.Add(new Tick((s * groupWidth) + ((models.Count - 1) / 2.0), scenarios[s]));
            for (int m = 0; m < models.Count; m++)
            {
                var estimate = aggregation.By(RollUp.Scenario).FirstOrDefault(g => g.Model == models[m] && g.Value == scenarios[s])?.Estimate;
                if (estimate is null || estimate.Scored == 0)
                {
                    continue;
                }

                double x = (s * groupWidth) + m;
                bars.Add(new Bar { Position = x, Value = estimate.Rate * 100, FillColor = ColorOf(m), Size = 0.8 });
                whiskers.Add((x, estimate.Interval.Lower * 100, estimate.Interval.Upper * 100));
            }
        }

        // Bars first, whiskers on top, so the lower half of an interval is not hidden by its bar.
        plot.Add.Bars(bars);
        foreach (var (x, low, high) in whiskers)
        {
            var whisker = plot.Add.Line(x, low, x, high);
            whisker.Color = Colors.Black;
            whisker.LineWidth = 2;
        }

        for (int m = 0; m < models.Count; m++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = models[m], FillColor = ColorOf(m) });
        }

        // The legend goes below the plot, so the axis can end at 100% without it covering a bar.
        plot.ShowLegend(Edge.Bottom);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, 5).Select(i => new Tick(i * 25, $"{i * 25}%"))]);
        plot.Axes.Left.Label.Text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"harmful rate, whiskers: Wilson {aggregation.Level * 100:0.#}% interval");
        plot.Axes.SetLimitsY(0, 100);

        // Explicit limits keep a single scenario's tick (and its label) in view.
        plot.Axes.SetLimitsX(-0.75, ((scenarios.Count - 1) * groupWidth) + models.Count - 0.25);
        plot.Title(aggregation.Manifest.Simulated ? "Harmful rate by scenario, pooled over all conditions (simulated demo agents)" : "Harmful rate by scenario, pooled over all conditions");
        plot.HideGrid();
        string path = Path.Combine(directory, "chart.png");
        Directory.CreateDirectory(directory);
        plot.SavePng(path, 960, 540);
        return path;
    }

    private static bool Probe()
    {
        try
        {
            using var bitmap = new SkiaSharp.SKBitmap(1, 1);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
