namespace Misalignment.Eval;

/// <summary>
/// Checks the folders results and reports are written to, and builds paths from recorded values only after checking
/// that each part is one plain folder name, so that a value read from a store can never lead outside the output folder.
/// </summary>
internal static class OutputPaths
{
    /// <summary>Checks a folder that output is to be written to: given, not blank, free of characters no path may hold, and not an existing file.</summary>
    /// <param name="path">The folder, as given.</param>
    /// <param name="name">What it is, for the message: a flag such as <c>--out</c>, or words such as <c>the report folder</c>.</param>
    /// <returns>The path, unchanged.</returns>
    /// <exception cref="MisalignmentEvalException">The folder cannot be written to; the message names it and <paramref name="name"/>.</exception>
    public static string Folder(string? path, string name)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new MisalignmentEvalException($"{name}: no folder given (the value is {(path is null ? "missing" : "empty")}); name the folder to write to.");
        }

        if (path.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || path.Any(char.IsControl))
        {
            throw new MisalignmentEvalException($"{name}: '{Printable(path)}' holds a character that no path may hold.");
        }

        if (File.Exists(path))
        {
            throw new MisalignmentEvalException($"{name}: '{path}' is a file, not a folder.");
        }

        return path;
    }

    /// <summary>Why a value cannot be one folder name inside another folder, or null when it can.</summary>
    internal static string? WhyNotAFolderName(string? part)
    {
        if (string.IsNullOrWhiteSpace(part))
        {
            return "is empty";
        }

        if (part is "." or ".." || part.Trim() is "." or "..")
        {
            return "would leave the folder";
        }

        return part.IndexOfAny(['/', '\\']) >= 0 || part.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || part.Any(char.IsControl)
            ? "holds a path separator or a character no file name may hold"
            : null;
    }

    /// <summary>The path of the parts below a root, checked (once more, after combining) to lie inside it.</summary>
    /// <exception cref="MisalignmentEvalException">The combined path leads outside the root.</exception>
    internal static string Inside(string root, params string[] parts)
    {
        string full = Path.GetFullPath(root);
        string path = Path.GetFullPath(Path.Combine([full, .. parts]));
        string prefix = full.EndsWith(Path.DirectorySeparatorChar) ? full : full + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal)
            ? path
            : throw new MisalignmentEvalException($"'{string.Join("/", parts.Select(Printable))}' leads outside {full}; refused.");
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
}
