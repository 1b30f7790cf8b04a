using Misalignment.Eval.Scenarios;
using Snapshooter.Xunit;
using Snapshooter;

namespace Misalignment.Eval.Tests.Scenarios;

/// <summary>
/// Golden files of one rendered condition per scenario and tool mode (Snapshooter; see __snapshots__).
/// A content change shows up as a snapshot diff to review; delete the snapshot file to accept it.
/// </summary>
public class BuiltInSnapshotTests
{
    [Theory]
    [InlineData("blackmail_explicit-america_replacement", ToolMode.Text)]
    [InlineData("blackmail_explicit-america_replacement", ToolMode.Native)]
    [InlineData("leaking_explicit-ethical_restriction", ToolMode.Text)]
    [InlineData("leaking_explicit-ethical_restriction", ToolMode.Native)]
    [InlineData("murder_explicit-safety_restriction_prod", ToolMode.Text)]
    [InlineData("murder_explicit-safety_restriction_prod", ToolMode.Native)]
    public void Render_OneConditionPerScenarioAndMode_MatchesSnapshot(string id, ToolMode mode)
    {
        var condition = Condition.Parse(id, out var variant);
        var prompt = ScenarioCatalog.CreateBuiltIn().Render(condition, new RenderOptions { Variant = variant, ToolMode = mode });

        var snapshot = new
        {
            prompt.ConditionId,
            ToolMode = mode.ToString(),
            SystemPrompt = prompt.SystemPrompt.Split('\n'),
            UserMessage = prompt.UserMessage.Split('\n'),
            Tools = prompt.Tools.Select(t => t.Name).ToArray(),
        };

        Snapshot.Match(snapshot, SnapshotNameExtension.Create(id, mode));
    }
}
