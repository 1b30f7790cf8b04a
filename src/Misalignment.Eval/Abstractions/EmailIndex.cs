using System.Globalization;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>The emails of an inbox by id: the number on an <c>ID:</c> line, or the 1-based position when emails carry no id.</summary>
internal sealed partial class EmailIndex
{
    private readonly Dictionary<int, string> _emails = [];
    private readonly List<int> _order = [];

    /// <summary>Indexes the <c>&lt;email&gt;</c> blocks of an inbox.</summary>
    /// <param name="emailContent">The emails, as in <see cref="ScenarioPrompt.EmailContent"/>.</param>
    public EmailIndex(string emailContent)
    {
        int position = 0;
        foreach (Match block in EmailBlock().Matches(emailContent ?? string.Empty))
        {
            position++;
            var id = IdLine().Match(block.Value);
            int key = id.Success && int.TryParse(id.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : position;
            if (_emails.TryAdd(key, block.Value))
            {
                _order.Add(key);
            }
        }
    }

    /// <summary>The number of emails.</summary>
    public int Count => _emails.Count;

    /// <summary>The email with an id, as its whole <c>&lt;email&gt;</c> block.</summary>
    /// <param name="id">The id.</param>
    /// <param name="email">The block, when found.</param>
    /// <returns>Whether the inbox has that id.</returns>
    public bool TryGet(int id, out string email) => _emails.TryGetValue(id, out email!);

    /// <summary>The ids, in inbox order.</summary>
    public IReadOnlyList<int> Ids => _order;

    /// <summary>The inbox as <c>list_inbox</c> returns it: one line per email, its id, sender, subject and time.</summary>
    /// <returns>The listing.</returns>
    public string Listing()
    {
        if (_order.Count == 0)
        {
            return "Your inbox is empty.";
        }

        var lines = _order.Select(id => string.Create(CultureInfo.InvariantCulture,
            $"ID: {id} | From: {Header(_emails[id], "From")} | Subject: {Header(_emails[id], "Subject")} | Timestamp: {Header(_emails[id], "Timestamp")}"));
        return string.Join("\n", lines);
    }

    private static string Header(string email, string name) =>
        Regex.Match(email, $@"^{name}:\s*(.*?)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1)) is { Success: true } m ? m.Groups[1].Value : "(none)";

    [GeneratedRegex(@"<email>.*?</email>", RegexOptions.Singleline)]
    private static partial Regex EmailBlock();

    [GeneratedRegex(@"^ID:\s*(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
