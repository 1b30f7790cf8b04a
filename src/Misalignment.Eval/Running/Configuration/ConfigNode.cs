namespace Misalignment.Eval.Running;

/// <summary>A configuration value with its position, read from YAML or JSON, so errors can name file, line and key.</summary>
internal abstract record ConfigNode(string File, int Line, string Path)
{
    public ConfigurationException Error(string problem) => new(File, Line, Path, problem);
}

/// <summary>A scalar; <see cref="Value"/> is null for YAML <c>null</c>/<c>~</c> and JSON <c>null</c>.</summary>
internal sealed record ConfigScalar(string File, int Line, string Path, string? Value, bool IsString) : ConfigNode(File, Line, Path);

internal sealed record ConfigSequence(string File, int Line, string Path, IReadOnlyList<ConfigNode> Items) : ConfigNode(File, Line, Path);

internal sealed record ConfigMapping(string File, int Line, string Path, IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries) : ConfigNode(File, Line, Path)
{
    public ConfigNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}
