namespace Misalignment.Eval.Running;

/// <summary>Binds the top level and <c>global</c> of a configuration into an <see cref="ExperimentSpec"/>.</summary>
internal static class ExperimentSpecBinder
{
    public static ExperimentSpec Bind(ConfigNode root)
    {
        var b = new ConfigBinder();
        var locations = new Dictionary<string, ConfigLocation>(StringComparer.Ordinal);
        var spec = new ExperimentSpec();
        var render = RenderOptions.Default;
        ConfigNode? seed = null;
        ConfigNode? expansions = null;
        if (root is not ConfigMapping)
        {
            throw root.Error($"a configuration is a mapping of keys to values, found {ConfigBinder.Describe(root)}.");
        }

        b.Each(root, new Dictionary<string, Action<ConfigNode>>
        {
            ["experiment_id"] = n => spec = spec with { ExperimentId = ConfigBinder.RequiredString(n) },
            ["description"] = n => spec = spec with { Description = ConfigBinder.String(n) },
            ["researcher"] = n => spec = spec with { Researcher = ConfigBinder.String(n) },
            ["seed"] = n => seed = n,
            ["output_directory"] = n => spec = spec with { OutputDirectory = ConfigBinder.String(n) },
            ["production_variant"] = n => render = render with { Variant = ConfigBinder.Bool(n) ? PromptVariant.Prod : PromptVariant.Dev },
            ["extra_system_instructions"] = n => render = render with { ExtraInstructions = ExtraInstructionsOf(n) },
            ["tool_mode"] = n => render = render with { ToolMode = ToolModeOf(n) },
            ["inbox"] = n => render = render with { InboxTools = InboxOf(n) },
            ["max_steps"] = n => render = render with { MaxSteps = n.IsNull ? null : ConfigBinder.Int(n, 1, 200) },
            ["global"] = n => b.Each(n, new Dictionary<string, Action<ConfigNode>>
            {
                ["models"] = m => spec = spec with { Models = Models(m, locations) },
                ["temperature"] = m => spec = spec with { Temperature = m.IsNull ? null : ConfigBinder.Double(m, 0, 2) },
                ["model_providers"] = m => spec = spec with { ModelProviders = ConfigBinder.Map(m, v => ConfigBinder.RequiredString(v)) },
                ["samples_per_condition"] = m => spec = spec with { SamplesPerCondition = ConfigBinder.Int(m, 1, ConfigLimits.MaxSamplesPerCondition) },
                ["seed"] = m => seed = m,
                ["output_directory"] = m => spec = spec with { OutputDirectory = ConfigBinder.String(m) },
                ["concurrency"] = m => spec = spec with { Concurrency = SectionBinders.Concurrency(b, m) },
                ["rate_limits"] = m => spec = spec with { RateLimits = SectionBinders.RateLimits(b, m) },
                ["alignment_faking"] = m => render = render with { AlignmentFakingWarning = SectionBinders.AlignmentFaking(b, m) },
            }),
            ["expansions"] = n => (expansions, spec) = (n, spec with { Expansions = ExpansionBinder.Expansions(b, n, locations) }),
            ["classification"] = n => spec = spec with { Classification = SectionBinders.Classification(b, n) },
            ["execution"] = n => spec = spec with { Execution = SectionBinders.Execution(b, n) },
        });

        if (expansions is not null && !spec.Expansions.Any(e => e.Enabled))
        {
            throw expansions.Error("no expansion is enabled, so the experiment has no conditions.");
        }

        return spec with
        {
            Seed = seed is null || seed.IsNull ? null : Seed(seed, spec.SamplesPerCondition),
            Render = render,
            Warnings = b.Warnings,
            Locations = locations,
        };
    }

    /// <summary>A model list, with each model's location recorded under <c>{key}[i]</c>.</summary>
    public static List<string> Models(ConfigNode node, Dictionary<string, ConfigLocation> locations)
    {
        var models = ConfigBinder.ModelList(node);
        var items = ConfigBinder.Items(node, "a list of model names");
        for (int i = 0; i < items.Count; i++)
        {
            locations[$"{node.Path}[{i}]"] = new ConfigLocation(items[i].File, items[i].Line, items[i].Path);
        }

        return models;
    }

    /// <summary>The base seed: sample <c>i</c> uses <c>seed + i</c>, which must not overflow.</summary>
    private static long Seed(ConfigNode node, int samples)
    {
        long max = long.MaxValue - (samples - 1);
        long seed = ConfigBinder.Long(node, 0, long.MaxValue);
        return seed <= max
            ? seed
            : throw node.Error($"must be at most {max} with {samples} samples per condition (sample i uses seed + i), found {seed}.");
    }

    private static ExtraInstructions ExtraInstructionsOf(ConfigNode node) => ConfigBinder.String(node) switch
    {
        null => ExtraInstructions.None,
        var text when WireNames<ExtraInstructions>.TryParse(text, out var extra) => extra,
        var text when ConfigBinder.TryBool(text, out bool on) && !on => ExtraInstructions.None,
        var other => throw node.Error($"expected false, \"dont\" or \"goal\", found '{ConfigBinder.Shorten(other)}'."),
    };

    private static bool InboxOf(ConfigNode node) => ConfigBinder.String(node) switch
    {
        "tools" => true,
        "message" => false,
        var other => throw node.Error($"expected \"tools\" or \"message\", found '{ConfigBinder.Shorten(other)}'."),
    };

    private static ToolMode ToolModeOf(ConfigNode node) =>
        WireNames<ToolMode>.TryParse(ConfigBinder.String(node), out var mode)
            ? mode
            : throw node.Error($"expected \"text\" or \"native\", found '{ConfigBinder.Shorten(ConfigBinder.String(node))}'.");
}
