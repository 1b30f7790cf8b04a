
namespace Misalignment.Eval.Running;

/// <summary>
/// Loads an <see cref="ExperimentSpec"/> from the reference implementation's YAML format, or from the same keys
/// written as JSON. Wrong types and bad values are errors naming file, line and key; keys this library does not
/// use are collected in <see cref="ExperimentSpec.Warnings"/> so that existing reference files load unchanged.
/// </summary>
internal static class ExperimentSpecLoader
{
    /// <summary>Loads a file: <c>.json</c> as JSON, anything else as YAML.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ConfigurationException">The file is missing or invalid.</exception>
    public static ExperimentSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ConfigurationException(path, 0, string.Empty, "configuration file not found.");
        }

        string text = File.ReadAllText(path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(text, path) : FromYaml(text, path);
    }

    /// <summary>Reads a spec from YAML text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="file">The name used in error messages.</param>
    /// <returns>The spec.</returns>
    public static ExperimentSpec FromYaml(string yaml, string file = "config.yaml") => Bind(YamlConfigReader.Read(yaml, file));

    /// <summary>Reads a spec from JSON text (the same keys as the YAML format).</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="file">The name used in error messages.</param>
    /// <returns>The spec.</returns>
    public static ExperimentSpec FromJson(string json, string file = "config.json") => Bind(JsonConfigReader.Read(json, file));

    private static ExperimentSpec Bind(ConfigNode root)
    {
        var b = new ConfigBinder();
        var spec = new ExperimentSpec();
        var render = RenderOptions.Default;
        b.Each(root, new Dictionary<string, Action<ConfigNode>>
        {
            ["experiment_id"] = n => spec = spec with { ExperimentId = ConfigBinder.RequiredString(n) },
            ["description"] = n => spec = spec with { Description = ConfigBinder.String(n) },
            ["researcher"] = n => spec = spec with { Researcher = ConfigBinder.String(n) },
            ["seed"] = n => spec = spec with { Seed = ConfigBinder.Int(n, 0) },
            ["output_directory"] = n => spec = spec with { OutputDirectory = ConfigBinder.String(n) },
            ["production_variant"] = n => render = render with { Variant = ConfigBinder.Bool(n) ? PromptVariant.Prod : PromptVariant.Dev },
            ["extra_system_instructions"] = n => render = render with { ExtraInstructions = ExtraInstructionsOf(n) },
            ["tool_mode"] = n => render = render with { ToolMode = ToolModeOf(n) },
            ["global"] = n => b.Each(n, new Dictionary<string, Action<ConfigNode>>
            {
                ["models"] = m => spec = spec with { Models = ConfigBinder.StringList(m) },
                ["temperature"] = m => spec = spec with { Temperature = m is ConfigScalar { Value: null } ? null : ConfigBinder.Double(m, 0, 2) },
                ["samples_per_condition"] = m => spec = spec with { SamplesPerCondition = ConfigBinder.Int(m, 1) },
                ["seed"] = m => spec = spec with { Seed = ConfigBinder.Int(m, 0) },
                ["output_directory"] = m => spec = spec with { OutputDirectory = ConfigBinder.String(m) },
                ["concurrency"] = m => spec = spec with { Concurrency = Concurrency(b, m) },
                ["rate_limits"] = m => spec = spec with { RateLimits = RateLimits(b, m) },
                ["alignment_faking"] = m => render = render with { AlignmentFakingWarning = AlignmentFaking(b, m) },
            }),
            ["expansions"] = n => spec = spec with { Expansions = Expansions(b, n) },
            ["classification"] = n => spec = spec with { Classification = Classification(b, n) },
            ["execution"] = n => spec = spec with { Execution = Execution(b, n) },
        });
        return spec with { Render = render, Warnings = b.Warnings };
    }

    private static ExtraInstructions ExtraInstructionsOf(ConfigNode node) => ConfigBinder.String(node) switch
    {
        null or "false" or "False" or "none" => ExtraInstructions.None,
        "dont" => ExtraInstructions.Dont,
        "goal" => ExtraInstructions.Goal,
        var other => throw node.Error($"expected false, \"dont\" or \"goal\", found '{other}'."),
    };

    private static ToolMode ToolModeOf(ConfigNode node) => ConfigBinder.String(node) switch
    {
        "text" => ToolMode.Text,
        "native" => ToolMode.Native,
        var other => throw node.Error($"expected \"text\" or \"native\", found '{other}'."),
    };

    private static string? AlignmentFaking(ConfigBinder b, ConfigNode node)
    {
        bool enabled = false;
        string? text = null;
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["enabled"] = n => enabled = ConfigBinder.Bool(n),
            ["warning_text"] = n => text = ConfigBinder.String(n),
            ["warning_type"] = n => ConfigBinder.String(n),
        });
        return !enabled ? null : string.IsNullOrWhiteSpace(text)
            ? throw node.Error("is enabled but has no 'warning_text'.")
            : text;
    }

    private static ConcurrencySpec Concurrency(ConfigBinder b, ConfigNode node)
    {
        var spec = new ConcurrencySpec();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["providers"] = n => spec = spec with { Providers = ConfigBinder.Map(n, v => ConfigBinder.Int(v, 1)) },
            ["models"] = n => spec = spec with { Models = ConfigBinder.Map(n, v => ConfigBinder.Int(v, 1)) },
        });
        return spec;
    }

    private static RateLimitSpec RateLimits(ConfigBinder b, ConfigNode node)
    {
        var spec = new RateLimitSpec();
        var models = new Dictionary<string, RateLimit>(StringComparer.Ordinal);
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["providers"] = n => spec = spec with { Providers = ConfigBinder.Map(n, v => Limit(b, v)) },
            ["models"] = n => Merge(models, ConfigBinder.Map(n, v => Limit(b, v))),
            ["model_overrides"] = n => Merge(models, ConfigBinder.Map(n, v => Limit(b, v))),
            ["pools"] = n => spec = spec with { Pools = ConfigBinder.Map(n, v => Limit(b, v)) },
        });
        return spec with { Models = models };
    }

    private static void Merge(Dictionary<string, RateLimit> into, Dictionary<string, RateLimit> from)
    {
        foreach (var pair in from)
        {
            into[pair.Key] = pair.Value;
        }
    }

    private static RateLimit Limit(ConfigBinder b, ConfigNode node)
    {
        if (node is ConfigScalar)
        {
            return new RateLimit { RequestsPerMinute = ConfigBinder.Int(node, 1) };
        }

        var limit = new RateLimit();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["rpm"] = n => limit = limit with { RequestsPerMinute = ConfigBinder.Int(n, 1) },
            ["requests_per_minute"] = n => limit = limit with { RequestsPerMinute = ConfigBinder.Int(n, 1) },
            ["tpm"] = n => limit = limit with { TokensPerMinute = ConfigBinder.Int(n, 1) },
            ["tokens_per_minute"] = n => limit = limit with { TokensPerMinute = ConfigBinder.Int(n, 1) },
            ["models"] = n => limit = limit with { Models = ConfigBinder.StringList(n) },
        });
        return limit;
    }

    private static List<GridExpansion> Expansions(ConfigBinder b, ConfigNode node)
    {
        if (node is not ConfigSequence sequence)
        {
            throw node.Error("expected a list of expansions.");
        }

        var result = new List<GridExpansion>();
        foreach (var item in sequence.Items)
        {
            var expansion = new GridExpansion { Name = $"expansion {result.Count + 1}" };
            ConfigNode? variables = null;
            b.Each(item, new Dictionary<string, Action<ConfigNode>>
            {
                ["name"] = n => expansion = expansion with { Name = ConfigBinder.RequiredString(n) },
                ["description"] = n => ConfigBinder.String(n),
                ["enabled"] = n => expansion = expansion with { Enabled = ConfigBinder.Bool(n) },
                ["models"] = n => expansion = expansion with { Models = ConfigBinder.StringList(n) },
                ["variables"] = n => variables = n,
            });
            if (variables is null)
            {
                throw item.Error($"expansion '{expansion.Name}' has no 'variables'.");
            }

            bool hasScenarios = false;
            b.Each(variables, new Dictionary<string, Action<ConfigNode>>
            {
                ["scenarios"] = n => (expansion, hasScenarios) = (expansion with { Scenarios = ScenarioList(n) }, true),
                ["goal_types"] = n => expansion = expansion with { GoalTypes = ConfigBinder.List(n, ConditionAxes.ParseGoalType) },
                ["goal_values"] = n => expansion = expansion with { GoalValues = ConfigBinder.List(n, ConditionAxes.ParseGoalValue) },
                ["urgency_types"] = n => expansion = expansion with { Urgencies = ConfigBinder.List(n, ConditionAxes.ParseUrgency) },
            });
            if (!hasScenarios || expansion.Scenarios.Count == 0)
            {
                throw variables.Error($"expansion '{expansion.Name}' lists no scenarios.");
            }

            result.Add(expansion);
        }

        return result;
    }

    private static List<string> ScenarioList(ConfigNode node)
    {
        var names = ConfigBinder.StringList(node);
        string? bad = names.FirstOrDefault(n => !Condition.IsValidScenarioId(n));
        return bad is null ? names : throw node.Error($"scenario '{bad}' must be lower-case letters, digits and '-', starting with a letter.");
    }

    private static ClassificationSpec Classification(ConfigBinder b, ConfigNode node)
    {
        var spec = new ClassificationSpec();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["enabled"] = n => spec = spec with { Enabled = ConfigBinder.Bool(n) },
            ["classifier_model"] = n => spec = spec with { ClassifierModel = ConfigBinder.String(n) },
            ["concurrency"] = n => spec = spec with { Concurrency = ConfigBinder.Int(n, 1) },
            ["models"] = n => spec = spec with { Models = ConfigBinder.Map(n, v => ConfigBinder.RequiredString(v)) },
        });
        return spec;
    }

    private static ExecutionSpec Execution(ConfigBinder b, ConfigNode node)
    {
        var spec = new ExecutionSpec();
        b.Each(node, new Dictionary<string, Action<ConfigNode>>
        {
            ["resume_interrupted"] = n => spec = spec with { ResumeInterrupted = ConfigBinder.Bool(n) },
            ["timeout_seconds"] = n => spec = spec with { TimeoutSeconds = ConfigBinder.Double(n, 1, 21_600) },
            ["retries"] = n => spec = spec with { Retries = ConfigBinder.Int(n, 0) },
            ["checkpoint_frequency"] = n => spec = spec with { CheckpointFrequency = ConfigBinder.Int(n, 1) },
        });
        return spec;
    }
}
