using System.Diagnostics;
using System.Text;
using Misalignment.Eval.Running;

/// <summary>Load times of large experiment configurations (JSON and YAML): the readers must stay linear in the input.</summary>
internal static class ConfigBenchmark
{
    public static void Run()
    {
        foreach (int items in new[] { 10_000, 100_000 })
        {
            Measure($"JSON, global.models of {items:N0} items", () => ExperimentSpecLoader.FromJson(JsonList(items), "bench.json"));
            Measure($"YAML, global.models of {items:N0} items", () => ExperimentSpecLoader.FromYaml(YamlList(items), "bench.yaml"));
        }
    }

    private static void Measure(string what, Func<ExperimentSpec> load)
    {
        var clock = Stopwatch.StartNew();
        var spec = load();
        Console.WriteLine($"config: {what}: {clock.Elapsed.TotalMilliseconds:N0} ms ({spec.Models.Count:N0} models read)");
    }

    private static string JsonList(int items)
    {
        var text = new StringBuilder("{\n  \"experiment_id\": \"bench\",\n  \"global\": {\n    \"models\": [\n");
        for (int i = 0; i < items; i++)
        {
            text.Append("      \"model-").Append(i).Append(i + 1 < items ? "\",\n" : "\"\n");
        }

        return text.Append("    ]\n  }\n}\n").ToString();
    }

    private static string YamlList(int items)
    {
        var text = new StringBuilder("experiment_id: bench\nglobal:\n  models:\n");
        for (int i = 0; i < items; i++)
        {
            text.Append("    - model-").Append(i).Append('\n');
        }

        return text.ToString();
    }
}
