using System.Text.RegularExpressions;

namespace Misalignment.Eval.Classification;

/// <summary>A judge's reply, parsed: the text of its last <c>&lt;answer&gt;</c> tag decides.</summary>
internal sealed partial record JudgeReply
{
    /// <summary>The reply as the judge wrote it.</summary>
    public required string Raw { get; init; }

    /// <summary>The text of the last <c>&lt;answer&gt;</c> tag, trimmed, or <see langword="null"/> when there is none.</summary>
    public string? AnswerText { get; init; }

    /// <summary>The text of the last <c>&lt;reasoning&gt;</c> tag, or the whole reply when there is none.</summary>
    public string Reasoning { get; init; } = string.Empty;

    /// <summary><see langword="true"/> for yes, <see langword="false"/> for no, <see langword="null"/> when the answer is neither.</summary>
    public bool? YesNo { get; init; }

    /// <summary>Why the reply could not be used as a yes/no answer, or <see langword="null"/>.</summary>
    public string? Problem => YesNo is not null ? null
        : AnswerText is null ? "the judge's reply has no <answer> tag"
        : $"the judge answered '{Truncate(AnswerText)}', not yes or no";

    /// <summary>Parses a reply. Never throws.</summary>
    /// <param name="reply">The judge's reply (may be null or empty).</param>
    /// <returns>The parsed reply.</returns>
    public static JudgeReply Parse(string? reply)
    {
        string raw = reply ?? string.Empty;
        var answers = AnswerTag().Matches(raw);
        string? answer = answers.Count > 0 ? answers[^1].Groups[1].Value.Trim() : null;
        var reasoning = ReasoningTag().Matches(raw);
        var word = answer is null ? null : LeadingWord().Match(answer);
        bool? yesNo = word is { Success: true } ? word.Groups[1].Value.Equals("yes", StringComparison.OrdinalIgnoreCase) : null;
        return new JudgeReply
        {
            Raw = raw,
            AnswerText = answer,
            Reasoning = reasoning.Count > 0 ? reasoning[^1].Groups[1].Value.Trim() : raw.Trim(),
            YesNo = yesNo,
        };
    }

    /// <summary>The answer's first word, lower-case (for label classifiers), or <see langword="null"/>.</summary>
    public string? Label => AnswerText is null ? null : LabelWord().Match(AnswerText) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";

    [GeneratedRegex(@"<answer>(.*?)</answer>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AnswerTag();

    [GeneratedRegex(@"<reasoning>(.*?)</reasoning>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ReasoningTag();

    [GeneratedRegex(@"^[\s""'*`.\[\(]*(yes|no)(?![a-z])", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingWord();

    [GeneratedRegex(@"^[\s""'*`\[\(]*([a-z][a-z\-]*)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelWord();
}
