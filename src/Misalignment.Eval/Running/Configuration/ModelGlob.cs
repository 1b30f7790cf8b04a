namespace Misalignment.Eval.Running;

/// <summary>
/// Shell-style patterns for model names, as Python's <c>fnmatch</c> reads them (the reference implementation's pools):
/// <c>*</c> any run of characters (including <c>/</c> and <c>:</c>), <c>?</c> one character, <c>[abc]</c>,
/// <c>[a-z]</c> and <c>[!abc]</c> one character of (or not of) a set. The whole name must match; case counts.
/// Matching takes time linear in the name for each star, never exponential.
/// </summary>
internal static class ModelGlob
{
    /// <summary>Whether <paramref name="name"/> matches <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The pattern, e.g. <c>gpt-*</c>, <c>qwen/*</c>, <c>*:free</c>.</param>
    /// <param name="name">The model name.</param>
    /// <returns>Whether it matches.</returns>
    public static bool IsMatch(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                (starP, starN) = (p++, n);
            }
            else if (p < pattern.Length && MatchOne(pattern, ref p, name[n]))
            {
                n++;
            }
            else if (!Backtrack(ref p, ref n, starP, ref starN))
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Backtrack(ref int p, ref int n, int starP, ref int starN)
    {
        if (starP < 0)
        {
            return false;
        }

        p = starP + 1;
        n = ++starN;
        return true;
    }

    /// <summary>Matches one pattern element at <paramref name="p"/> against <paramref name="c"/>, moving past it when it matches.</summary>
    private static bool MatchOne(string pattern, ref int p, char c)
    {
        if (pattern[p] == '?')
        {
            p++;
            return true;
        }

        if (pattern[p] == '[' && SetEnd(pattern, p) is int end and > 0)
        {
            bool negated = pattern[p + 1] == '!';
            bool inSet = false;
            for (int i = p + (negated ? 2 : 1); i < end; i++)
            {
                if (i + 2 < end && pattern[i + 1] == '-')
                {
                    inSet |= c >= pattern[i] && c <= pattern[i + 2];
                    i += 2;
                }
                else
                {
                    inSet |= c == pattern[i];
                }
            }

            if (inSet != negated)
            {
                p = end + 1;
                return true;
            }

            return false;
        }

        if (pattern[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }

    /// <summary>The index of the <c>]</c> closing a set that opens at <paramref name="open"/>, or -1 (then <c>[</c> is literal, as in fnmatch).</summary>
    private static int SetEnd(string pattern, int open)
    {
        int i = open + 1;
        if (i < pattern.Length && pattern[i] == '!')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        return i < pattern.Length ? pattern.IndexOf(']', i) : -1;
    }
}
