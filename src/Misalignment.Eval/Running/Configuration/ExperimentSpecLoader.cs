namespace Misalignment.Eval.Running;

/// <summary>
/// Loads an <see cref="ExperimentSpec"/> from the reference implementation's YAML format, or from the same keys
/// written as JSON. Wrong types and bad values are errors naming file, line and key; keys this library does not
/// use are collected in <see cref="ExperimentSpec.Warnings"/> so that existing reference files load unchanged.
/// </summary>
internal static class ExperimentSpecLoader
{
    /// <summary>Loads a file: <c>.json</c> as JSON, anything else as YAML. The file must be UTF-8 (or UTF-16 with a byte-order mark).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ConfigurationException">The file is missing, unreadable or invalid.</exception>
    public static ExperimentSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ConfigurationException(path, 0, string.Empty, "configuration file not found.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, 0, string.Empty, $"cannot read the configuration file: {ex.Message}", ex);
        }

        string text = ConfigText.Decode(bytes, path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(text, path) : FromYaml(text, path);
    }

    /// <summary>Reads a spec from YAML text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="file">The name used in error messages.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ConfigurationException">The YAML is invalid or a value is wrong.</exception>
    public static ExperimentSpec FromYaml(string yaml, string file = "config.yaml")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return ExperimentSpecBinder.Bind(YamlConfigReader.Read(yaml, file));
    }

    /// <summary>Reads a spec from JSON text (the same keys as the YAML format).</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="file">The name used in error messages.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ConfigurationException">The JSON is invalid or a value is wrong.</exception>
    public static ExperimentSpec FromJson(string json, string file = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        return ExperimentSpecBinder.Bind(JsonConfigReader.Read(json, file));
    }
}
