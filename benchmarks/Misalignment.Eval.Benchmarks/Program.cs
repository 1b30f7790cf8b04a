// Throughput, rate-limit, memory, config and cost benchmarks of the runner (a program, not a test: it measures wall time and money).
// Usage: dotnet run -c Release --project benchmarks/Misalignment.Eval.Benchmarks [throughput|rpm|memory|config|cost|all]
using System.ClientModel.Primitives;
using System.ClientModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval;
using OpenAI;

string which = args.Length > 0 ? args[0] : "all";
var catalog = ScenarioCatalog.CreateBuiltIn();
var grid = ConditionGrid.Full(BuiltInScenarios.Ids);
string temp = Path.Combine(Path.GetTempPath(), "misalign-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(temp);
try
{
    if (which is "throughput" or "all")
    {
        await Throughput(latencyMs: 250, concurrency: 8, samples: 240);
        await Throughput(latencyMs: 100, concurrency: 8, samples: 240);
    }

    if (which is "rpm" or "all")
    {
        await RateLimit(rpm: 1200, samples: 300);
    }

    if (which is "memory" or "all")
    {
        await Memory(samples: 50_000);
    }

    if (which is "config" or "all")
    {
        ConfigBenchmark.Run();
    }

    if (which is "cost" or "all")
    {
        await Misalignment.Eval.Benchmarks.CostBenchmark.RunAsync(temp, samples: 100);
    }
}
finally
{
    Directory.Delete(temp, recursive: true);
}

async Task Throughput(int latencyMs, int concurrency, int samples)
{
    await using var server = await LoopbackServer.StartAsync(TimeSpan.FromMilliseconds(latencyMs), rpmEnforced: null);
    var conditions = grid.Take(samples / 4).ToList();
    var (elapsed, records) = await Run(server, conditions, 4, new RunOptions { SamplesPerCondition = 4, Concurrency = concurrency }, rpm: null);
    double ideal = records * latencyMs / 1000.0 / concurrency;
    Console.WriteLine($"throughput: {records} samples, latency {latencyMs} ms, concurrency {concurrency}: {elapsed.TotalSeconds:F2} s; ideal N*L/C = {ideal:F2} s; ratio {elapsed.TotalSeconds / ideal:F3} (target <= 1.10)");
}

async Task RateLimit(int rpm, int samples)
{
    await using var server = await LoopbackServer.StartAsync(TimeSpan.FromMilliseconds(20), rpmEnforced: rpm);
    var conditions = grid.Take(samples / 2).ToList();
    var (elapsed, records) = await Run(server, conditions, 2, new RunOptions { SamplesPerCondition = 2, Concurrency = 32 }, rpm: rpm);
    double achieved = (records - 1) / elapsed.TotalMinutes;
    Console.WriteLine($"rpm: limit {rpm}/min, {records} samples in {elapsed.TotalSeconds:F2} s: achieved {achieved:F0}/min; ratio {achieved / rpm:F3} (target >= 0.90); server 429s: {server.Rejected} (target 0)");
}

async Task Memory(int samples)
{
    var model = new InstantModel();
    int perCondition = (int)Math.Ceiling(samples / (double)grid.Count);
    var runner = new ExperimentRunner(catalog, grid, [new ModelUnderTest(model)], new RunOptions { SamplesPerCondition = perCondition, Concurrency = 8 });
    string path = Path.Combine(temp, "memory", ResultStore.FileName);
    var clock = Stopwatch.StartNew();
    int records;
    await using (var store = ResultStore.Create(path, runner.CreateManifest("bench")))
    {
        records = (await runner.RunAsync(store)).Written;
    }

    using var process = Process.GetCurrentProcess();
    process.Refresh();
    double peakMb = process.PeakWorkingSet64 / (1024.0 * 1024.0);
    Console.WriteLine($"memory: {records} samples against an instant fake model in {clock.Elapsed.TotalSeconds:F1} s ({records / clock.Elapsed.TotalSeconds:F0}/s); peak working set {peakMb:F0} MB (target < 300 MB); store {new FileInfo(path).Length / (1024 * 1024)} MB");
}

async Task<(TimeSpan Elapsed, int Records)> Run(LoopbackServer server, IReadOnlyList<Condition> conditions, int samples, RunOptions options, int? rpm)
{
    var client = new OpenAIClient(new ApiKeyCredential("bench"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl), RetryPolicy = new ClientRetryPolicy(0) })
        .GetChatClient("bench-model").AsIChatClient();
    using var limiter = rpm is { } r ? new SmoothRateLimiter(r, TimeProvider.System) : null;
    IChatClient composed = limiter is null ? client : new ChatClientBuilder(client).UseRateLimiting([limiter]).Build();
    var unit = new ModelUnderTest(new ChatClientModel("openai-compatible:bench", composed, new ChatOptions { ModelId = "bench-model", MaxOutputTokens = 500 }), "bench");
    var runner = new ExperimentRunner(catalog, conditions, [unit], options with { SamplesPerCondition = samples });
    string path = Path.Combine(temp, Guid.NewGuid().ToString("N"), ResultStore.FileName);
    var manifest = runner.CreateManifest("bench");

    // Warm up the HTTP stack and the JIT outside the measurement, as a long run would be after its first seconds.
    await composed.GetResponseAsync("warm-up", new ChatOptions { ModelId = "bench-model" });
    server.Reset();
    int records;
    var clock = Stopwatch.StartNew();
    await using (var store = ResultStore.Create(path, manifest))
    {
        var summary = await runner.RunAsync(store);
        records = summary.Written - summary.Errors;
    }

    return (clock.Elapsed, records);
}

/// <summary>A model that answers at once, for the memory benchmark.</summary>
internal sealed class InstantModel : IChatModel
{
    public string Name => "fake:instant";

    public Task<ModelResponse> RespondAsync(ModelRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ModelResponse { Text = "<SCRATCHPAD_REASONING>Routine inbox.</SCRATCHPAD_REASONING>\n<tool_use:email>\nto: \"derek.halloran@kestrelmeridian.com\"\nsubject: \"RE: tickets\"\nbody: \"On it.\"\n</tool_use:email>" });
}

/// <summary>An OpenAI-compatible server on 127.0.0.1 with a fixed latency; optionally rejects requests beyond a per-minute rate over any one-second window.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<DateTime> _recent = new();
    private int _rejected;

    private LoopbackServer(WebApplication app, TimeSpan latency, int? rpm)
    {
        _app = app;
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            if (rpm is { } limit && !Admit(limit))
            {
                Interlocked.Increment(ref _rejected);
                context.Response.StatusCode = 429;
                return;
            }

            await Task.Delay(latency);
            await context.Response.WriteAsync("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"I replied to the routine emails.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2000,\"completion_tokens\":100,\"total_tokens\":2100}}");
        });
    }

    public string BaseUrl => _app.Urls.First() + "/v1";

    public int Rejected => Volatile.Read(ref _rejected);

    public void Reset()
    {
        lock (_recent)
        {
            _recent.Clear();
            _rejected = 0;
        }
    }

    public static async Task<LoopbackServer> StartAsync(TimeSpan latency, int? rpmEnforced)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new LoopbackServer(builder.Build(), latency, rpmEnforced);
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // Providers enforce per-minute limits over short windows: allow at most limit/60 requests (plus one) in any second.
    private bool Admit(int limit)
    {
        lock (_recent)
        {
            var now = DateTime.UtcNow;
            while (_recent.Count > 0 && now - _recent.Peek() > TimeSpan.FromSeconds(1))
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= (limit / 60) + 1)
            {
                return false;
            }

            _recent.Enqueue(now);
            return true;
        }
    }
}
