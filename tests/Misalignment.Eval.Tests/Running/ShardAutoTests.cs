using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

public class ShardAutoTests : RunnerTestBase
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void ShardAuto_FromAnIndexedJob_CoversThePlanExactlyOnce(int completions)
    {
        var models = new[] { "m:1", "m:2", "m:3" }.Select(n => new ModelUnderTest(FakeChatModel.Answering(n))).ToList();
        var options = new RunOptions { SamplesPerCondition = 20 };
        var all = new ExperimentRunner(Catalog, TwoConditions, models, options).Plan().Select(i => i.Key).ToList();

        var shards = Enumerable.Range(0, completions)
            .Select(index => Shard.Resolve("auto", Env(("JOB_COMPLETION_INDEX", $"{index}"), ("JOB_COMPLETIONS", $"{completions}"))))
            .Select(shard => new ExperimentRunner(Catalog, TwoConditions, models, options with { Shard = shard }).Plan().Select(i => i.Key).ToList())
            .ToList();

        var keys = shards.SelectMany(s => s).ToList();
        keys.Should().OnlyHaveUniqueItems("every key is in exactly one shard");
        keys.Should().BeEquivalentTo(all);
    }

    [Fact]
    public void ShardAuto_ReadsTheIndexedJob_ThenTheMatrixVariables_AndACountGivenInTheFlag()
    {
        Shard.Resolve("auto", Env(("JOB_COMPLETION_INDEX", "0"), ("JOB_COMPLETIONS", "4"))).Should().Be(new Shard(1, 4));
        Shard.Resolve("auto/8", Env(("JOB_COMPLETION_INDEX", "7"))).Should().Be(new Shard(8, 8));
        Shard.Resolve("auto", Env(("MISALIGN_SHARD_INDEX", "2"), ("MISALIGN_SHARD_COUNT", "3"))).Should().Be(new Shard(3, 3));
        Shard.Resolve("2/4", Env()).Should().Be(new Shard(2, 4));
    }

    [Theory]
    [InlineData("auto", "*neither JOB_COMPLETION_INDEX*")]
    [InlineData("auto/x", "*not auto or auto/N*")]
    public void ShardAuto_WithoutItsVariables_SaysWhichAreMissing(string text, string message)
    {
        var act = () => Shard.Resolve(text, Env());

        act.Should().Throw<MisalignmentEvalException>().WithMessage(message);
    }

    [Fact]
    public void ShardAuto_IndexWithoutACount_AsksForOne()
    {
        var act = () => Shard.Resolve("auto", Env(("JOB_COMPLETION_INDEX", "1")));

        act.Should().Throw<MisalignmentEvalException>().WithMessage("*pass --shard auto/N or set JOB_COMPLETIONS*");
    }

    [Fact]
    public void ShardAuto_IndexPastTheCount_IsRefused()
    {
        var act = () => Shard.Resolve("auto/2", Env(("JOB_COMPLETION_INDEX", "2")));

        act.Should().Throw<MisalignmentEvalException>().WithMessage("*JOB_COMPLETION_INDEX='2' is not a 0-based index below 2*");
    }
}
