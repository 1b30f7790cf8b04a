namespace Misalignment.Eval.Running;

/// <summary>Where a value of a loaded configuration was written: the file, the 1-based line and the key path.</summary>
/// <param name="File">The configuration file.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Key">The key path as written, e.g. <c>expansions[1].models[0]</c>.</param>
internal sealed record ConfigLocation(string File, int Line, string Key)
{
    /// <summary>An error at this location: <c>file:line: key 'key': problem</c>.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <returns>The exception, to throw.</returns>
    public ConfigurationException Error(string problem) => new(File, Line, Key, problem);

    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}: key '{Key}'";
}
