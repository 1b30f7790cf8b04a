using System.Globalization;
using System.Text.Json;
using Misalignment.Eval.Cli;
using Misalignment.Eval.IntegrationTests;

namespace Misalignment.Eval.Benchmarks;

/// <summary>
/// What the study's calls cost per sample, plain, with prompt caching, in provider batches, and with both: 18
/// conditions x 100 samples through the real CLI (providers' SDKs, the prompt-cache breakpoint, the batcher, the
/// recorded usage, the price table) against loopback servers speaking each provider's online and batch protocols,
/// which bill by the providers' caching rules (<see cref="CacheSimulator"/>) and answer with the 40 real Claude Opus 4
/// answers of the classifier corpus (nostalgebraist/results-sharing), so output lengths are real ones.
/// </summary>
internal static class CostBenchmark
{
    private const string Key = "bench-key";

    // The 18 conditions: three scenarios x an explicit goal (America, global) x replacement, restriction, none.
    private static readonly string[] Grid =
        ["--scenarios", "blackmail,leaking,murder", "--goal-types", "explicit", "--goal-values", "america,global", "--urgencies", "replacement,restriction,none"];

    private static readonly (string Name, string[] Flags)[] Modes =
    [
        ("plain", ["--no-prompt-cache"]),
        ("caching", []),
        ("batch", ["--no-prompt-cache", "--batch", "--batch-poll", "0.05", "--batch-idle", "0.5"]),
        ("batch + caching", ["--batch", "--batch-poll", "0.05", "--batch-idle", "0.5"]),
    ];

    public static async Task RunAsync(string temp, int samples)
    {
        var answers = RealAnswers();
        string openAiPrices = Path.Combine(temp, "openai-prices.json");

        // gpt-4.1 as listed by third parties (e.g. GitHub's Copilot pricing table: $2.00 in, $0.50 cached, $8.00 out)
        // and OpenAI's Batch API discount of half; not shipped in prices.json, since no OpenAI page confirmed them.
        await File.WriteAllTextAsync(openAiPrices, """{ "as_of": "2026-12-01", "models": { "gpt-4.1": { "input": 2.0, "cached_input": 0.5, "output": 8.0, "batch_discount": 0.5 } } }""");
        Console.WriteLine($"cost: 18 conditions x {samples} samples per mode; answers: the 40 real Claude Opus 4 answers of the corpus (mean {answers.Average(a => CacheSimulator.Tokens(a)):F0} output tokens)");
        await Provider("Anthropic pricing (claude-opus-4: $15 in, $1.50 cache read, $18.75 cache write, $75 out, batch half)", "anthropic:claude-opus-4-20250514", anthropic: true, null, answers, temp, samples);
        await Provider("OpenAI pricing (gpt-4.1: $2 in, $0.50 cached, $8 out, batch half; its caching is automatic: off in the plain and batch rows, on in the others)", "openai:gpt-4.1", anthropic: false, openAiPrices, answers, temp, samples);
    }

    private static async Task Provider(string title, string model, bool anthropic, string? prices, List<string> answers, string temp, int samples)
    {
        Console.WriteLine($"cost: {title}");
        double? plain = null;
        double inputPrice = anthropic ? 15e-6 : 2e-6;
        foreach (var (mode, flags) in Modes)
        {
            // OpenAI caches on its own: its "plain" and "batch" rows are priced as if it did not, for the baseline, and its
            // "batch + caching" row assumes cached input is discounted inside a batch too (not confirmed by OpenAI's pages).
            var simulator = new CacheSimulator(openAiCaches: !flags.Contains("--no-prompt-cache"));
            int next = 0;
            string Answer() => answers[(Interlocked.Increment(ref next) - 1) % answers.Count];
            await using FakeBatchServer server = anthropic ? await FakeAnthropicBatchServer.StartAsync(Key) : await FakeOpenAiBatchServer.StartAsync(Key);
            server.Answer = _ => Answer();
            server.Usage = (body, answer) => anthropic ? simulator.Anthropic(body, answer) : simulator.OpenAi(body, answer);
            server.EndAfterPolls = 1;
            var environment = anthropic
                ? new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = Key, ["ANTHROPIC_BASE_URL"] = server.Root }
                : new Dictionary<string, string> { ["OPENAI_API_KEY"] = Key, ["OPENAI_BASE_URL"] = server.Root + "/v1" };
            string output = Path.Combine(temp, $"cost-{(anthropic ? "anthropic" : "openai")}-{mode.Replace(' ', '-').Replace("+", "and", StringComparison.Ordinal)}");
            string[] args =
            [
                "run", "--model", model, .. Grid, "--samples", samples.ToString(CultureInfo.InvariantCulture), "--concurrency", "8", "--no-classify", "--out", output,
                .. prices is null ? Array.Empty<string>() : ["--prices", prices], .. flags,
            ];
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int exit = await CliApp.RunAsync(args, new CliContext(stdout, stderr) { Environment = name => environment.GetValueOrDefault(name) });
            if (exit != 0)
            {
                throw new InvalidOperationException($"cost: {mode} run failed ({exit}): {stderr}");
            }

            var records = ResultStore.ReadSamples(Path.Combine(output, ResultStore.FileName)).ToList();
            if (records.Count != 18 * samples || records.Any(r => r.CostUsd is null))
            {
                throw new InvalidOperationException($"cost: {mode} run recorded {records.Count} samples, {records.Count(r => r.CostUsd is null)} without a cost");
            }

            double perSample = records.Sum(r => r.CostUsd!.Value) / records.Count;
            plain ??= perSample;
            double input = records.Average(r => (double)r.Response!.InputTokens!.Value);
            double read = records.Average(r => (double)(r.Response!.CachedInputTokens ?? 0));
            double written = records.Average(r => (double)(r.Response!.CacheWriteTokens ?? 0));
            double outputTokens = records.Average(r => (double)r.Response!.OutputTokens!.Value);
            int batches = records.Select(r => r.BatchId).Where(b => b is not null).Distinct(StringComparer.Ordinal).Count();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cost:   {mode,-16} ${perSample:F5}/sample, {perSample / inputPrice:F0} billed input-token equivalents = {perSample / plain.Value:F3} of plain; per sample {input:F0} in ({read:F0} read from cache, {written:F0} written), {outputTokens:F0} out; {records.Count(r => r.BatchId is not null)} of {records.Count} batched in {batches} batch(es)"));
        }
    }

    /// <summary>The answers of the corpus's real Claude Opus 4 cases (tests/.../TestData/corpus/*-ref-opus4-*.json).</summary>
    private static List<string> RealAnswers()
    {
        string corpus = Path.Combine(RepositoryRoot(), "tests", "Misalignment.Eval.Tests", "TestData", "corpus");
        var answers = Directory.GetFiles(corpus, "*-ref-opus4-*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("response").GetString()!)
            .ToList();
        return answers.Count == 40 ? answers : throw new InvalidOperationException($"cost: expected the corpus's 40 real Opus 4 answers in {corpus}, found {answers.Count}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Misalignment.Eval.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}
