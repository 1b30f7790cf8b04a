using Misalignment.Eval.Cli;
using Misalignment.Eval.Cli.Commands;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Running.Batching;
using Spectre.Console.Testing;

namespace Misalignment.Eval.Tests.Cli;

/// <summary>The batched judge's settings (<c>--batch-judge</c>, <c>execution.batch_judge</c>, <c>classify --batch</c>), its batcher, the dry run and its progress lines.</summary>
public sealed class BatchJudgeCliTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Config_ExecutionBatchJudge_IsBoundToTheSpec()
    {
        var spec = ExperimentSpecLoader.FromYaml("execution:\n  batch_judge: true\n  batch_poll_seconds: 5\n");

        spec.Execution.Should().Be(new ExecutionSpec { BatchJudge = true, BatchPollSeconds = 5 });
        spec.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Config_BadBatchJudgeValue_IsOneErrorNamingFileLineAndKey()
    {
        var act = () => ExperimentSpecLoader.FromYaml("experiment_id: x\nexecution:\n  batch_judge: later\n", "c.yaml");

        act.Should().Throw<ConfigurationException>().WithMessage("c.yaml:3: key 'execution.batch_judge': expected true or false, found 'later'.");
    }

    [Theory]
    [InlineData(new[] { "run", "--model", "demo:benign", "--batch-judge", "--batch-size", "0" }, "--batch-size must be between 1 and 100000.")]
    [InlineData(new[] { "classify", "--results", "r", "--judge", "openai:gpt-4.1", "--batch-poll", "1" }, "--batch-poll needs --batch.")]
    [InlineData(new[] { "classify", "--results", "r", "--batch" }, "--batch needs --judge: action-only verdicts call no judge.")]
    public async Task BadBatchJudgeFlag_ExitsWith2InOneLineNamingTheFlag(string[] args, string expected)
    {
        var result = await CliRunner.RunWithoutKeysAsync([.. args, .. args[0] == "run" ? new[] { "--out", Path.Combine(_temp.Path, "out") } : []]);

        result.ExitCode.Should().Be(2, result.Error);
        result.Error.Should().Be($"misalign: error: {expected}\n");
    }

    [Fact]
    public async Task Run_BatchTuningWithBatchJudgeAlone_IsAccepted()
    {
        var result = await CliRunner.RunWithoutKeysAsync("run", "--model", "demo:benign", "--judge", "gemini:gemini-2.5-pro", "--batch-judge", "--batch-poll", "5", "--out", Path.Combine(_temp.Path, "out"), "--dry-run");

        result.ExitCode.Should().Be(0, result.Error);
        result.Output.Should().Contain("  batch: no model through the provider's batch API (batches of up to 2,000 requests, polled every 5 s, given up after 25 h); the judge's calls stay online")
            .And.Contain("  note: Batch mode (--batch-judge): the judge 'gemini:gemini-2.5-pro' runs online at the online price: its provider 'gemini' has no batch API here.");
    }

    [Fact]
    public void DryRun_BatchedJudge_IsMarkedOnItsLineAndTheBatchLine()
    {
        var spec = new ExperimentSpec { Models = ["demo:benign"], Classification = new ClassificationSpec { ClassifierModel = "openai:gpt-4.1" }, Execution = new ExecutionSpec { BatchJudge = true } };
        var plan = new ExperimentPlan
        {
            Conditions = [Condition.Parse("murder_none-none_none")],
            Models = [new PlannedModel { Spec = "demo:benign", Provider = "demo", Conditions = 1, Concurrency = 4 }],
            SamplesPerCondition = 1,
            TargetCalls = 1,
            Judge = "openai:gpt-4.1",
            JudgeBatched = true,
            JudgeCalls = 1,
        };

        string text = DryRun.Describe(spec, plan, ScenarioCatalog.CreateBuiltIn(), _ => null);

        text.Should().Contain("  batch: no model through the provider's batch API (batches of up to 2,000 requests, polled every 30 s, given up after 25 h); the judge's calls go in judge batches of their own")
            .And.Contain("  judge: openai:gpt-4.1: provider openai").And.Contain("; batched (its rate limits do not apply)");
    }

    [Fact]
    public void Handlers_BatchJudgeAlone_PutABatcherOnTheJudgesClientOnly()
    {
        var execution = new ExecutionSpec { BatchJudge = true, BatchSize = 9 };
        var withBatch = ProviderFactory.Entries[0] with { Batch = _ => new FakeBatchServer().Protocol() };
        var http = new ProviderHttp { Handlers = BatchHttp.Factories(execution, judge: "openai:gpt-4.1-mini") };
        ProviderRequest Request(string spec) => new(ModelSpec.Parse(spec, _ => null), "k", TimeSpan.FromSeconds(300), _ => null, null);

        var judge = http.HandlersFor(withBatch, Request("openai:gpt-4.1-mini"));
        var model = http.HandlersFor(withBatch, Request("openai:gpt-4.1"));

        judge.Should().ContainSingle().Which.Should().BeOfType<BatchingHandler>().Which.Settings.Size.Should().Be(9);
        model.Should().BeEmpty("the models run online: their clients keep the online timeout");
        BatchHttp.Factories(execution).Should().BeEmpty("no judge, nothing to batch");
        new ProviderHttp { Handlers = BatchHttp.Factories(execution with { Batch = true }, judge: "openai:gpt-4.1-mini") }.HandlersFor(withBatch, Request("openai:gpt-4.1")).Should().ContainSingle("with --batch every client of a provider with a batch API has one");
    }

    [Fact]
    public void Render_BatchedJudge_HasALineOfItsOwnUnderTheModels()
    {
        var snapshot = new RunProgress
        {
            Models = [new ModelProgress { Model = "demo:benign", Total = 10, Done = 4 }],
            Judge = new ModelProgress { Model = "openai:gpt-4.1", BatchesInFlight = 1, BatchId = "batch_0123456789", BatchProvider = "openai", BatchPhase = "in_progress", BatchRequests = 6, BatchSucceeded = 2, BatchWaiting = TimeSpan.FromMinutes(2), BatchHeld = 3 },
        };
        var console = new TestConsole().Width(120);

        console.Write(new ProgressView(snapshot));

        console.Lines.Where(l => l.Length > 0).Select(l => l.TrimEnd()).Last().Should().Be("judge openai:gpt-4.1 batch …23456789 openai: 2/6 ok, 0 err, in_progress, waiting 00:02:00; 3 held");
        ProgressView.Lines(snapshot with { Judge = snapshot.Judge! with { BatchesInFlight = 0, BatchId = null, BatchHeld = 0 } }, 120).Should().HaveCount(2, "a judge with nothing in flight or held has no line");
    }

    [Fact]
    public async Task PlainProgress_JudgeBatchSubmittedAndEnded_IsALogLineNamingTheJudge()
    {
        using var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error);
        var model = new ModelProgress { Model = "demo:benign", Total = 2, Done = 2 };
        var judge = new ModelProgress { Model = "openai:gpt-4.1", BatchesInFlight = 1, BatchId = "batch_0123456789", BatchProvider = "openai", BatchPhase = "in_progress", BatchRequests = 2, BatchWaiting = TimeSpan.Zero };

        await ProgressReporter.RunAsync(context, ["demo:benign"], progress =>
        {
            progress.Report(new RunProgress { Models = [model], Judge = judge });
            progress.Report(new RunProgress { Models = [model], Judge = new ModelProgress { Model = "openai:gpt-4.1", Batched = 2 } });
            return Task.CompletedTask;
        });

        error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("judge", StringComparison.Ordinal)).Should().Equal(
            "[00:00:00] judge openai:gpt-4.1: batch …23456789 openai: 0/2 ok, 0 err, in_progress, waiting 00:00:00",
            "[00:00:00] judge openai:gpt-4.1: no batch in flight");
    }
}
