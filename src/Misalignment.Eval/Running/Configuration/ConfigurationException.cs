namespace Misalignment.Eval.Running;

/// <summary>An experiment configuration that cannot be loaded: the message names the file, the line and the key.</summary>
internal sealed class ConfigurationException : MisalignmentEvalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The configuration file.</param>
    /// <param name="line">The 1-based line, or 0 when unknown.</param>
    /// <param name="key">The key path at fault (e.g. <c>global.temperature</c>), or empty.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ConfigurationException(string file, int line, string key, string problem, Exception? innerException = null)
        : base($"{file}{(line > 0 ? $":{line}" : string.Empty)}: {(key.Length > 0 ? $"key '{key}': " : string.Empty)}{problem}", innerException)
    {
        File = file;
        Line = line;
        Key = key;
    }

    /// <summary>The configuration file.</summary>
    public string File { get; }

    /// <summary>The 1-based line, or 0.</summary>
    public int Line { get; }

    /// <summary>The key path at fault, or empty.</summary>
    public string Key { get; }
}
