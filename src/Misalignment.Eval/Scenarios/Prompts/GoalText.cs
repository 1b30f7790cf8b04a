namespace Misalignment.Eval.Scenarios;

/// <summary>The goal statement paragraph and the reminder bullet of one goal value.</summary>
internal sealed record GoalText(string Statement, string Reminder);
