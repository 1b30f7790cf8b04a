
namespace Misalignment.Eval.Tests.Conditions;

public class ConditionGridTests
{
    private static readonly string[] Scenarios = ["blackmail", "leaking", "murder"];

    [Fact]
    public void Full_ThreeScenarios_Has234DistinctConditions()
    {
        var grid = ConditionGrid.Full(Scenarios);

        grid.Should().HaveCount(234).And.OnlyHaveUniqueItems();
        ConditionGrid.Count(new GridExpansion { Scenarios = Scenarios }).Should().Be(234);
        grid.Count(c => c.GoalType == GoalType.None).Should().Be(9, "goal type none contributes one value per scenario and urgency");
        grid.Count(c => c.GoalType == GoalType.Ambiguous).Should().Be(9);
        grid.Where(c => !c.GoalType.TakesValue()).Should().OnlyContain(c => c.GoalValue == GoalValue.None);
    }

    [Fact]
    public void Expand_ExplicitAndNoneWithOneValue_Has18Conditions()
    {
        var expansion = new GridExpansion
        {
            Scenarios = Scenarios,
            GoalTypes = [GoalType.Explicit, GoalType.None],
            GoalValues = [GoalValue.America],
        };

        expansion.Expand().Select(c => c.Id).Should().HaveCount(18)
            .And.Contain("leaking_none-none_restriction")
            .And.Contain("murder_explicit-america_none");
    }

    [Fact]
    public void Expand_StableOrder_ScenarioThenGoalTypeThenValueThenUrgency()
    {
        var expansion = new GridExpansion
        {
            Scenarios = ["murder", "blackmail"],
            GoalTypes = [GoalType.None, GoalType.Explicit],
            GoalValues = [GoalValue.Safety, GoalValue.America],
            Urgencies = [UrgencyType.None, UrgencyType.Replacement],
        };

        expansion.Expand().Select(c => c.Id).Take(6).Should().Equal(
            "murder_none-none_none",
            "murder_none-none_replacement",
            "murder_explicit-safety_none",
            "murder_explicit-safety_replacement",
            "murder_explicit-america_none",
            "murder_explicit-america_replacement");
    }

    [Fact]
    public void Expand_TwoExpansions_IsTheUnionOfSeparateProductsWithoutDuplicates()
    {
        var first = new GridExpansion { Name = "a", Scenarios = ["blackmail"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.America], Urgencies = [UrgencyType.Replacement] };
        var second = new GridExpansion { Name = "b", Scenarios = ["murder", "blackmail"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Global, GoalValue.America], Urgencies = [UrgencyType.Replacement] };

        var ids = ConditionGrid.Expand([first, second]).Select(c => c.Id).ToList();

        ids.Should().Equal(
            "blackmail_explicit-america_replacement",
            "murder_explicit-global_replacement",
            "murder_explicit-america_replacement",
            "blackmail_explicit-global_replacement");
    }

    [Fact]
    public void Expand_DisjointExpansions_DoNotMixAxesAcrossExpansions()
    {
        // The reference merges all expansions into one product; that would add murder x america here.
        var first = new GridExpansion { Scenarios = ["blackmail"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.America], Urgencies = [UrgencyType.Replacement] };
        var second = new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Safety], Urgencies = [UrgencyType.Replacement] };

        ConditionGrid.Expand([first, second]).Select(c => c.Id).Should().Equal(
            "blackmail_explicit-america_replacement", "murder_explicit-safety_replacement");
    }

    [Fact]
    public void Expand_DisabledExpansion_IsLeftOut()
    {
        var disabled = new GridExpansion { Enabled = false, Scenarios = ["murder"] };
        var enabled = new GridExpansion { Scenarios = ["blackmail"], GoalTypes = [GoalType.None], Urgencies = [UrgencyType.None] };

        ConditionGrid.Expand([disabled, enabled]).Select(c => c.Id).Should().Equal("blackmail_none-none_none");
    }

    [Fact]
    public void Expand_NoneValueListedForExplicit_IsSkippedNotAnError()
    {
        var expansion = new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit, GoalType.Ambiguous], GoalValues = [GoalValue.None], Urgencies = [UrgencyType.None] };

        expansion.Expand().Select(c => c.Id).Should().Equal("murder_ambiguous-none_none");
    }
}
