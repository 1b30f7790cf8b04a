namespace Misalignment.Eval.Scenarios;

/// <summary>Where a path really leads: every symbolic link along it followed, as the operating system would.</summary>
internal static class RealPath
{
    /// <summary>The same bound on links followed as Linux's.</summary>
    private const int MaxLinks = 40;

    /// <summary>The path with every link resolved (components that do not exist are kept as they are).</summary>
    /// <exception cref="IOException">The links loop or nest too deeply.</exception>
    public static string Of(string path)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        var pending = new LinkedList<string>(Split(full));
        int links = 0;
        while (pending.First is { } first)
        {
            string part = first.Value;
            pending.RemoveFirst();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            string next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{path}: too many levels of symbolic links.");
            }

            // The target's own parts are walked in turn ('..' after a link leaves the link's target, not the link's folder).
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
            }

            foreach (string targetPart in Split(target).Reverse())
            {
                pending.AddFirst(targetPart);
            }
        }

        return current;
    }

    /// <summary>Whether a path lies inside a folder (both already real).</summary>
    public static bool IsInside(string path, string folder) =>
        path.Length > folder.Length
        && path.StartsWith(folder, StringComparison.Ordinal)
        && (folder.EndsWith(Path.DirectorySeparatorChar) || path[folder.Length] == Path.DirectorySeparatorChar);

    private static string[] Split(string path)
    {
        string root = Path.GetPathRoot(path) ?? string.Empty;
        return path[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
    }
}
