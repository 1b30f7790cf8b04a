using System.Globalization;
using System.Text;

namespace Misalignment.Eval.Scenarios;

/// <summary>Inserts the 1-based <c>ID: n</c> line after every <c>&lt;email&gt;</c> line, so the agent can forward by id.</summary>
internal static class EmailNumbering
{
    public static string Number(string emails)
    {
        var output = new StringBuilder(emails.Length + 256);
        int id = 0;
        foreach (string line in emails.Split('\n'))
        {
            if (output.Length > 0)
            {
                output.Append('\n');
            }

            output.Append(line);
            if (line.Trim() == "<email>")
            {
                id++;
                output.Append("\nID: ").Append(id.ToString(CultureInfo.InvariantCulture));
            }
        }

        return output.ToString();
    }
}
