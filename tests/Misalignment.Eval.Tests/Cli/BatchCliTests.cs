using Misalignment.Eval.Cli;
using Misalignment.Eval.Cli.Commands;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Running.Batching;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>Batch mode's settings (flags and the config's execution section), the dry run and the warning for a provider without a batch API.</summary>
public sealed class BatchCliTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Config_ExecutionBatchKeys_AreBoundToTheSpec()
    {
        var spec = ExperimentSpecLoader.FromYaml("execution:\n  batch: true\n  batch_size: 500\n  batch_poll_seconds: 0.5\n  batch_idle_seconds: 4\n  batch_deadline_hours: 12\n");

        spec.Execution.Should().Be(new ExecutionSpec { Batch = true, BatchSize = 500, BatchPollSeconds = 0.5, BatchIdleSeconds = 4, BatchDeadlineHours = 12 });
        var settings = BatchSettings.From(spec.Execution);
        (settings.Size, settings.PollInterval, settings.IdleWindow, settings.Deadline).Should().Be((500, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4), TimeSpan.FromHours(12)));
        spec.Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("batch_size: 0", "c.yaml:3: key 'execution.batch_size': must be at least 1, found 0.")]
    [InlineData("batch_poll_seconds: 0", "c.yaml:3: key 'execution.batch_poll_seconds': must be between 0.001 and 3600, found 0.")]
    [InlineData("batch_deadline_hours: 200", "c.yaml:3: key 'execution.batch_deadline_hours': must be between 0.001 and 168, found 200.")]
    [InlineData("batch: sometimes", "c.yaml:3: key 'execution.batch': expected true or false, found 'sometimes'.")]
    public void Config_BadBatchValue_IsOneErrorNamingFileLineAndKey(string line, string expected)
    {
        var act = () => ExperimentSpecLoader.FromYaml($"experiment_id: x\nexecution:\n  {line}\n", "c.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage(expected);
    }

    [Theory]
    [InlineData(new[] { "--batch-size", "10" }, "--batch-size needs --batch or --batch-judge (or execution.batch or execution.batch_judge: true in the config).")]
    [InlineData(new[] { "--batch-idle", "1", "--batch-poll", "5", "--batch-deadline", "2" }, "--batch-poll, --batch-idle and --batch-deadline need --batch or --batch-judge (or execution.batch or execution.batch_judge: true in the config).")]
    [InlineData(new[] { "--batch", "--batch-size", "0" }, "--batch-size must be between 1 and 100000.")]
    [InlineData(new[] { "--batch", "--batch-poll", "0" }, "--batch-poll must be between 0.001 and 3600 seconds.")]
    [InlineData(new[] { "--batch", "--batch-idle", "601" }, "--batch-idle must be between 0 and 600 seconds.")]
    [InlineData(new[] { "--batch", "--batch-deadline", "169" }, "--batch-deadline must be between 0.001 and 168 hours.")]
    public async Task Run_BadBatchFlag_ExitsWith2InOneLineNamingTheFlag(string[] flags, string expected)
    {
        var result = await CliRunner.RunWithoutKeysAsync(["run", "--model", "demo:benign", "--out", Path.Combine(_temp.Path, "out"), .. flags]);

        result.ExitCode.Should().Be(2, result.Error);
        result.Error.Should().Be($"misalign: error: {expected}\n");
    }

    [Fact]
    public async Task Run_BatchWithAProviderThatHasNoBatchApi_RunsOnlineWithOneWarningNamingTheModel()
    {
        string output = Path.Combine(_temp.Path, "out");

        var result = await CliRunner.RunWithoutKeysAsync("run", "--model", "demo:benign", "--samples", "1", "--scenarios", "murder", "--goal-types", "none", "--urgencies", "none", "--out", output, "--batch", "--batch-poll", "0.5");

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Split('\n').Where(l => l.Contains("Batch mode", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Be("misalign: warning: Batch mode (--batch): 'demo:benign' runs online at the online price: its provider 'demo' has no batch API here.");
        result.Output.Should().NotContain("batched:");
        ResultStore.ReadSamples(Path.Combine(output, ResultStore.FileName)).Should().ContainSingle().Which.BatchId.Should().BeNull();
    }

    [Fact]
    public async Task DryRun_Batch_SaysWhichModelsBatchAndThatTheJudgeStaysOnline()
    {
        var result = await CliRunner.RunWithoutKeysAsync("run", "--model", "demo:benign", "--out", Path.Combine(_temp.Path, "out"), "--batch", "--batch-size", "300", "--dry-run");

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().Contain("  batch: no model through the provider's batch API (batches of up to 300 requests, polled every 30 s, given up after 25 h); the judge's calls stay online")
            .And.Contain("  note: Batch mode (--batch): 'demo:benign' runs online");
    }

    [Fact]
    public void DryRun_BatchedModel_IsMarkedOnItsLine()
    {
        var spec = new ExperimentSpec { Models = ["openai:gpt-4.1"], Execution = new ExecutionSpec { Batch = true } };
        var plan = new ExperimentPlan
        {
            Conditions = [Condition.Parse("murder_none-none_none")],
            Models = [new PlannedModel { Spec = "openai:gpt-4.1", Provider = "openai", Conditions = 1, Concurrency = 4, Batched = true }],
            SamplesPerCondition = 1,
            TargetCalls = 1,
        };

        string text = DryRun.Describe(spec, plan, ScenarioCatalog.CreateBuiltIn(), _ => null);

        text.Should().Contain("    openai:gpt-4.1: provider openai").And.Contain("; batched (concurrency and rate limits do not apply)")
            .And.Contain("  batch: openai:gpt-4.1 through the provider's batch API (batches of up to 2,000 requests");
    }

    [Fact]
    public void DryRun_BatchedModel_IsEstimatedAtTheBatchPrice()
    {
        var spec = new ExperimentSpec { Models = ["anthropic:claude-opus-4-20250514"], MaxOutputTokens = 1000, Execution = new ExecutionSpec { Batch = true } };
        PlannedModel Model(bool batched) => new() { Spec = "anthropic:claude-opus-4-20250514", Provider = "anthropic", Conditions = 1, Concurrency = 4, Batched = batched };
        ExperimentPlan Plan(bool batched) => new() { Conditions = [Condition.Parse("murder_none-none_none")], Models = [Model(batched)], SamplesPerCondition = 100, TargetCalls = 100 };

        string online = DryRun.Describe(spec with { Execution = new ExecutionSpec() }, Plan(false), ScenarioCatalog.CreateBuiltIn(), _ => null);
        string batched = DryRun.Describe(spec, Plan(true), ScenarioCatalog.CreateBuiltIn(), _ => null);

        static double Cost(string text)
        {
            string line = text.Split('\n').Single(l => l.StartsWith("  estimated cost of anthropic:", StringComparison.Ordinal));
            return double.Parse(line[(line.IndexOf('$') + 1)..line.IndexOf(' ', line.IndexOf('$'))], System.Globalization.CultureInfo.InvariantCulture);
        }

        batched.Should().Contain("per million tokens in/out, batched at 50% of that)");
        Cost(batched).Should().BeApproximately(Cost(online) / 2, 0.01);
    }

    [Fact]
    public void Handlers_RunWithBatch_PutTheBatcherFirstForAProviderWithABatchProtocolOnly()
    {
        var execution = new ExecutionSpec { Batch = true, BatchSize = 7 };
        var factories = BatchHttp.Factories(execution);
        var withBatch = ProviderFactory.Entries[0] with { Batch = _ => new FakeBatchServer().Protocol() };
        var request = new ProviderRequest(ModelSpec.Parse("openai:gpt-4.1", _ => null), "k", TimeSpan.FromSeconds(300), _ => null, null);

        var http = new ProviderHttp { Handlers = [.. factories, (_, _) => new PassThrough()] };
        var handlers = http.HandlersFor(withBatch, request);
        var online = http.HandlersFor(ProviderFactory.Entries[0] with { Batch = null }, request);

        handlers.Should().HaveCount(2);
        handlers[0].Should().BeOfType<BatchingHandler>().Which.Settings.Size.Should().Be(7);
        online.Should().ContainSingle().Which.Should().BeOfType<PassThrough>("a provider without a batch protocol runs online");
        BatchHttp.Factories(new ExecutionSpec()).Should().BeEmpty();
    }

    [Fact]
    public void Handlers_RunWithBatch_GiveTheProtocol_sClientTheBatcher_sLongestCallTimeout_NotAnOnlineCall_s()
    {
        ProviderRequest? seen = null;
        var entry = ProviderFactory.Entries[0] with { Batch = r => { seen = r; return new FakeBatchServer().Protocol(); } };
        var request = new ProviderRequest(ModelSpec.Parse("openai:gpt-4.1", _ => null), "k", TimeSpan.FromSeconds(300), _ => null, null);

        new ProviderHttp { Handlers = BatchHttp.Factories(new ExecutionSpec { Batch = true }) }.HandlersFor(entry, request);

        seen!.SdkTimeout.Should().BeGreaterThan(TimeSpan.FromMinutes(30), "uploading a batch file or reading a batch's results may take the batcher's 15 and 30 minutes");
    }

    private sealed class PassThrough : DelegatingHandler;
}
