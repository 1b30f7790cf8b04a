using CsCheck;

namespace Misalignment.Eval.Tests.Conditions;

public class ConditionTests
{
    [Theory]
    [InlineData("blackmail_explicit-america_replacement", "blackmail", GoalType.Explicit, GoalValue.America, UrgencyType.Replacement)]
    [InlineData("leaking_none-none_restriction", "leaking", GoalType.None, GoalValue.None, UrgencyType.Restriction)]
    [InlineData("murder_swap-collectivism_none", "murder", GoalType.Swap, GoalValue.Collectivism, UrgencyType.None)]
    [InlineData("my-pack2_ambiguous-none_none", "my-pack2", GoalType.Ambiguous, GoalValue.None, UrgencyType.None)]
    public void Parse_ValidId_ReturnsAxesAndFormatsBack(string id, string scenario, GoalType type, GoalValue value, UrgencyType urgency)
    {
        var condition = Condition.Parse(id);

        condition.Should().Be(new Condition(scenario, type, value, urgency));
        condition.Id.Should().Be(id);
        condition.GetId(PromptVariant.Prod).Should().Be(id + "_prod");
    }

    [Fact]
    public void Parse_ProdSuffix_ReturnsProdVariant()
    {
        var condition = Condition.Parse("murder_explicit-safety_restriction_prod", out var variant);

        variant.Should().Be(PromptVariant.Prod);
        condition.Id.Should().Be("murder_explicit-safety_restriction");
    }

    [Fact]
    public void Parse_ProdSuffixWithoutVariantOverload_ExplainsWhichOverloadToUse()
    {
        var act = () => Condition.Parse("murder_explicit-safety_restriction_prod");

        act.Should().Throw<InvalidConditionException>().WithMessage("*'_prod'*Parse(id, out variant)*");
    }

    [Theory]
    [InlineData("", "*is empty*")]
    [InlineData("blackmail-explicit-america-replacement", "*1 '_'-separated parts*")]
    [InlineData("blackmail_explicit-america_replacement_dev", "*unknown suffix 'dev'*")]
    [InlineData("Blackmail_explicit-america_replacement", "*scenario 'Blackmail'*lower-case*")]
    [InlineData("blackmail_explicitamerica_replacement", "*goal part 'explicitamerica' has no '-'*")]
    [InlineData("blackmail_implicit-america_replacement", "*unknown goal type 'implicit'*explicit, latent, swap, ambiguous, none*")]
    [InlineData("blackmail_explicit-canada_replacement", "*unknown goal value 'canada'*")]
    [InlineData("blackmail_explicit-america_soon", "*unknown urgency 'soon'*replacement, restriction, none*")]
    [InlineData("blackmail_explicit-none_replacement", "*goal type 'explicit' needs one of the goal values*")]
    [InlineData("blackmail_none-america_replacement", "*goal type 'none' takes no goal value*")]
    public void Parse_MalformedId_NamesTheWrongPart(string id, string expected)
    {
        var act = () => Condition.Parse(id, out _);

        act.Should().Throw<InvalidConditionException>()
            .WithMessage($"Condition id '{id}': {expected}")
            .Which.ConditionId.Should().Be(id);
    }

    [Fact]
    public void TryParse_AnyString_NeverThrows()
    {
        Gen.String.Sample(text => Condition.TryParse(text, out _, out _, out _) || true);
    }

    [Fact]
    public void Id_AnyValidCondition_RoundTrips()
    {
        var gen = from scenario in Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"].Array[0, 8].Select(c => "s" + new string(c))
                  from type in Gen.Enum<GoalType>()
                  from value in Gen.Int[0, 7].Select(i => ConditionAxes.GoalValues[i])
                  from urgency in Gen.Enum<UrgencyType>()
                  from variant in Gen.Enum<PromptVariant>()
                  select (new Condition(scenario, type, type.TakesValue() ? value : GoalValue.None, urgency), variant);

        gen.Sample(pair => Condition.Parse(pair.Item1.GetId(pair.variant), out var v) == pair.Item1 && v == pair.variant);
    }

    [Fact]
    public void Opposite_EveryValue_IsAnInvolutionOverFourPairs()
    {
        foreach (var value in ConditionAxes.GoalValues)
        {
            value.Opposite().Should().NotBe(value);
            value.Opposite().Opposite().Should().Be(value);
        }

        var act = () => GoalValue.None.Opposite();
        act.Should().Throw<ArgumentException>();
    }
}
