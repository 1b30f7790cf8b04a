using System.Security.Cryptography;
using System.Text;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval;

/// <summary>
/// Recognises a rendered prompt's full condition among the conditions of a scenario catalog. The user message names
/// the scenario, the urgency and the emails; conditions that share those emails (<c>explicit-X</c>, <c>latent-X</c>
/// and <c>swap-X</c>) differ only in the system prompt, so among them the one whose own lines (its goal statement
/// and reminder) the system prompt holds wins, the most specific first; one with no lines of its own (latent) is
/// what is left when none matches. Variant, tool mode and extra instructions do not matter.
/// </summary>
internal sealed class DemoPromptIndex
{
    private readonly Dictionary<string, Candidate[]> _byUserMessage;
    private readonly Dictionary<string, Candidate[]> _byEmails;

    private DemoPromptIndex(Dictionary<string, Candidate[]> byUserMessage)
    {
        _byUserMessage = byUserMessage;
        _byEmails = [];
        foreach (var group in byUserMessage.Values)
        {
            _byEmails.TryAdd(Hash(EmailsKey(group[0].Prompt.EmailContent)), group);
        }
    }

    /// <summary>The emails of an inbox as one key: its <c>&lt;email&gt;</c> blocks, each trimmed, one per line.</summary>
    /// <param name="emails">The emails.</param>
    /// <returns>The key.</returns>
    public static string EmailsKey(string emails) =>
        string.Join("\n", System.Text.RegularExpressions.Regex.Matches(emails, "<email>.*?</email>", System.Text.RegularExpressions.RegexOptions.Singleline, TimeSpan.FromSeconds(2)).Select(m => m.Value.Trim()));

    /// <summary>The indexed prompt whose emails are those read through the inbox tools (in inbox order).</summary>
    /// <param name="system">The system prompt received.</param>
    /// <param name="emails">The emails read, concatenated.</param>
    /// <returns>The prompt, or <see langword="null"/> when they are no known condition's.</returns>
    public ScenarioPrompt? FindByEmails(string system, string emails) =>
        _byEmails.TryGetValue(Hash(EmailsKey(emails)), out var candidates) ? Choose(candidates, system) : null;

    /// <summary>Renders every condition of every scenario in the catalog once and indexes it.</summary>
    /// <param name="catalog">The scenarios.</param>
    /// <returns>The index.</returns>
    public static DemoPromptIndex Build(ScenarioCatalog catalog)
    {
        var groups = new Dictionary<string, List<ScenarioPrompt>>(StringComparer.Ordinal);
        foreach (var scenario in catalog.Scenarios)
        {
            var grid = new GridExpansion { Scenarios = [scenario.Id], GoalTypes = scenario.Axes.GoalTypes, GoalValues = scenario.Axes.GoalValues, Urgencies = scenario.Axes.Urgencies };
            foreach (var condition in grid.Expand())
            {
                try
                {
                    var prompt = scenario.Render(condition, RenderOptions.Default);
                    string key = Hash(prompt.UserMessage);
                    if (!groups.TryGetValue(key, out var group))
                    {
                        groups[key] = group = [];
                    }

                    group.Add(prompt);
                }
                catch (MisalignmentEvalException)
                {
                    // A scenario that cannot render a condition (e.g. a partial prompt set) is simply not recognised there.
                }
            }
        }

        return new DemoPromptIndex(groups.ToDictionary(g => g.Key, g => Distinguish(g.Value), StringComparer.Ordinal));
    }

    /// <summary>A stable hash (string.GetHashCode differs between processes).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Upper-case hex SHA-256.</returns>
    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The indexed prompt of the condition that the system prompt and user message were rendered for.</summary>
    /// <param name="system">The system prompt received.</param>
    /// <param name="user">The user message received.</param>
    /// <returns>The prompt, or <see langword="null"/> when the user message is no known condition's.</returns>
    public ScenarioPrompt? Find(string system, string user)
    {
        if (!_byUserMessage.TryGetValue(Hash(user), out var candidates))
        {
            return null;
        }

        return Choose(candidates, system);
    }

    private static ScenarioPrompt Choose(Candidate[] candidates, string system)
    {
        var lines = Lines(system).ToHashSet(StringComparer.Ordinal);
        return candidates.Where(c => c.OwnLines.All(lines.Contains)).MaxBy(c => c.OwnLines.Length)?.Prompt ?? candidates[0].Prompt;
    }

    private static Candidate[] Distinguish(List<ScenarioPrompt> group)
    {
        var shared = group.Select(p => Lines(p.SystemPrompt).ToHashSet(StringComparer.Ordinal)).Aggregate((a, b) =>
        {
            a.IntersectWith(b);
            return a;
        });
        return [.. group.Select(p => new Candidate(p, [.. Lines(p.SystemPrompt).Where(l => !shared.Contains(l)).Distinct(StringComparer.Ordinal)]))];
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private sealed record Candidate(ScenarioPrompt Prompt, string[] OwnLines);
}
