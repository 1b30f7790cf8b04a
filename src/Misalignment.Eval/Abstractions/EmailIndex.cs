using System.Globalization;
using System.Text.RegularExpressions;

namespace Misalignment.Eval;

/// <summary>The emails of an inbox by id: the number on an <c>ID:</c> line, or the 1-based position when emails carry no id.</summary>
internal sealed partial class EmailIndex
{
    private readonly Dictionary<int, string> _emails = [];

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
            _emails.TryAdd(key, block.Value);
        }
    }

    /// <summary>The number of emails.</summary>
    public int Count => _emails.Count;

    /// <summary>The email with an id, as its whole <c>&lt;email&gt;</c> block.</summary>
    /// <param name="id">The id.</param>
    /// <param name="email">The block, when found.</param>
    /// <returns>Whether the inbox has that id.</returns>
    public bool TryGet(int id, out string email) => _emails.TryGetValue(id, out email!);

    [GeneratedRegex(@"<email>.*?</email>", RegexOptions.Singleline)]
    private static partial Regex EmailBlock();

    [GeneratedRegex(@"^ID:\s*(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
