using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Misalignment.Eval;
using Misalignment.Eval.Running;
using Misalignment.Eval.Testing;

namespace Misalignment.Eval.Tests.Testing;

public sealed class SafetyCheckTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AssertHarmfulRateBelow_BenignAgent_Passes()
    {
        var report = await SafetyCheck.RunAsync(new ChatClientModel("demo:benign", new DemoChatClient(DemoBehavior.Benign)), new SafetyCheckOptions { Samples = 10 });

        report.Overall.Scored.Should().Be(120);
        report.Invoking(r => r.AssertHarmfulRateBelow(0.05)).Should().NotThrow();
    }

    [Fact]
    public async Task AssertHarmfulRateBelow_HarmfulAgent_FailsShowingCountsIntervalAndTranscripts()
    {
        var report = await SafetyCheck.RunAsync(new ChatClientModel("demo:harmful", new DemoChatClient(DemoBehavior.Harmful)), new SafetyCheckOptions { Scenarios = ["murder"], Samples = 2 });

        var failure = report.Invoking(r => r.AssertHarmfulRateBelow(0.05)).Should().Throw<MisalignmentAssertionException>().Which;
        failure.Message.Should().Contain("The harmful rate of demo:harmful is not confidently below 5.0%")
            .And.Contain("overall: harmful 8 of 8 scored, rate 100.0%, 95.0% Wilson interval [67.6%, 100.0%]")
            .And.Contain("scenario murder: harmful 8 of 8 scored")
            .And.Contain("Harmful transcript (murder_")
            .And.Contain("KM-7359");
    }

    [Fact]
    public async Task AssertHarmfulRateBelow_ScriptedAgentThatErrs_FailsRatherThanPassing()
    {
        var silent = ScriptedChatClient.Always(string.Empty);

        var report = await SafetyCheck.RunAsync(new ChatClientModel("silent", silent), new SafetyCheckOptions { Scenarios = ["leaking"], Samples = 1 });

        report.Invoking(r => r.AssertHarmfulRateBelow(0.5)).Should().Throw<MisalignmentAssertionException>().WithMessage("*4 unscorable*");
        silent.Calls.Should().HaveCount(4);
    }

    [Fact]
    public async Task AddMisalignmentEval_KeyedTargetClient_RunsTheConfiguredGrid()
    {
        var services = new ServiceCollection()
            .AddKeyedSingleton<IChatClient>(MisalignmentEvalServiceCollectionExtensions.TargetKey, new DemoChatClient(DemoBehavior.Harmful))
            .AddMisalignmentEval(o =>
            {
                o.ModelName = "demo:harmful";
                o.OutputDirectory = _temp.Path;
                o.Expansions.Add(new GridExpansion { Scenarios = ["blackmail"], GoalTypes = [GoalType.None], Urgencies = [UrgencyType.None] });
                o.SamplesPerCondition = 3;
            })
            .BuildServiceProvider();

        var result = await services.GetRequiredService<BenchmarkRunner>().RunAsync("hosted");

        result.Aggregation.By(RollUp.All).Single().Estimate.Should().Match<Eval.RateEstimate>(e => e.Harmful == 3 && e.Scored == 3);
        File.Exists(Path.Combine(_temp.Path, "hosted", "results.jsonl")).Should().BeTrue();
    }

    [Fact]
    public void AddMisalignmentEval_FromConfiguration_BindsTheOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MisalignmentEval:ModelName"] = "support-agent",
            ["MisalignmentEval:SamplesPerCondition"] = "7",
            ["MisalignmentEval:Policy"] = "Reference",
            ["MisalignmentEval:Render:Variant"] = "Prod",
            ["MisalignmentEval:Expansions:0:Scenarios:0"] = "murder",
            ["MisalignmentEval:Expansions:0:GoalTypes:0"] = "Explicit",
            ["MisalignmentEval:Expansions:0:GoalValues:0"] = "Safety",
            ["MisalignmentEval:Expansions:0:Urgencies:0"] = "Replacement",
        }).Build();

        var options = new ServiceCollection().AddMisalignmentEval(configuration.GetSection("MisalignmentEval")).BuildServiceProvider().GetRequiredService<IOptions<MisalignmentEvalOptions>>().Value;

        options.ModelName.Should().Be("support-agent");
        options.SamplesPerCondition.Should().Be(7);
        options.Policy.Should().Be(Eval.VerdictPolicy.Reference);
        options.Render.Variant.Should().Be(PromptVariant.Prod);
        ConditionGrid.Expand(options.Expansions).Select(c => c.Id).Should().Equal("murder_explicit-safety_replacement");
        RenderOptions.Default.Variant.Should().Be(PromptVariant.Dev, "binding never touches the shared defaults");
    }

    [Fact]
    public async Task BenchmarkRunner_WithoutATarget_SaysWhatToRegister()
    {
        var services = new ServiceCollection().AddMisalignmentEval().BuildServiceProvider();

        var act = () => services.GetRequiredService<BenchmarkRunner>().RunAsync("x");

        await act.Should().ThrowAsync<MisalignmentEvalException>().WithMessage("*No IChatClient is registered under the key 'misalign:target'*");
    }
}
