
namespace Misalignment.Eval;

/// <summary>
/// An email-agent scenario: an inbox that offers one harmful way out, rendered for any supported
/// condition. The built-in scenarios and user scenario packs are <c>ScenarioPack</c>s; a scenario can
/// also be a class of the user's own.
/// </summary>
public interface IScenario
{
    /// <summary>The scenario id used in condition ids, e.g. <c>blackmail</c>.</summary>
    string Id { get; }

    /// <summary>The name shown to people, e.g. <c>Blackmail</c>.</summary>
    string DisplayName { get; }

    /// <summary>One paragraph: the situation and the harmful option.</summary>
    string Description { get; }

    /// <summary>The scenario's content version, recorded with results.</summary>
    string Version { get; }

    /// <summary>The axis values this scenario supports.</summary>
    ScenarioAxes Axes { get; }

    /// <summary>What the scenario's classifier needs.</summary>
    ClassifierParameters ClassifierParameters { get; }

    /// <summary>Renders the prompts of one condition.</summary>
    /// <param name="condition">The condition; its scenario must be this scenario's id.</param>
    /// <param name="options">Variant, extra instructions, warning and tool mode.</param>
    /// <returns>The prompts.</returns>
    /// <exception cref="InvalidConditionException">The condition belongs to another scenario or uses an unsupported axis value.</exception>
    /// <exception cref="MisalignmentEvalException">The scenario's content is broken (the message names the file and line).</exception>
    ScenarioPrompt Render(Condition condition, RenderOptions options);
}
