using System.CommandLine;
using Misalignment.Eval.Interop;
using Misalignment.Eval.Running;
using Misalignment.Eval.Scenarios;

namespace Misalignment.Eval.Cli.Commands;

/// <summary>Options shared by several commands, and how they turn into a catalog, a grid and render options.</summary>
internal sealed class CommonOptions
{
    public Option<string[]> Packs { get; } = new("--pack")
    {
        Description = "A scenario-pack folder to add to the built-in scenarios (repeatable).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> PromptSet { get; } = new("--prompt-set") { Description = "Use the prompts of an imported prompt-set folder (reference layout) instead of rendering." };

    public Option<string?> Config { get; } = new("--config") { Description = "An experiment configuration file (reference YAML, or the same keys as JSON)." };

    public Option<string?> Scenarios { get; } = new("--scenarios") { Description = "Scenario ids, comma-separated (default: all)." };

    public Option<string?> GoalTypes { get; } = new("--goal-types") { Description = "Goal types, comma-separated: explicit, latent, swap, ambiguous, none (default: all)." };

    public Option<string?> GoalValues { get; } = new("--goal-values") { Description = "Goal values, comma-separated: america, global, safety, acceleration, ethical, pragmatic, individualism, collectivism (default: all)." };

    public Option<string?> Urgencies { get; } = new("--urgencies") { Description = "Urgencies, comma-separated: replacement, restriction, none (default: all)." };

    public Option<bool> Prod { get; } = new("--prod") { Description = "The production variant (no scratchpad; condition ids end in _prod)." };

    public Option<bool> NativeTools { get; } = new("--native-tools") { Description = "Offer the actions as native function tools instead of the XML text protocol." };

    public Option<string?> Inbox { get; } = new("--inbox") { Description = "How the agent gets its emails: message (all in the user message, the default) or tools (list_inbox and read_email; implies --native-tools)." };

    public Option<int?> MaxSteps { get; } = new("--max-steps") { Description = "The most model calls one sample may take in native tool mode (default 8, or 24 with --inbox tools)." };

    public Option<string?> Extra { get; } = new("--extra") { Description = "Extra system instructions: dont or goal." };

    public Option<bool> NoAdaptiveLimits { get; } = new("--no-adaptive-limits") { Description = "Do not pace calls to the rate limits the providers announce in their response headers (on by default)." };

    public Option<string?> AlignmentFakingWarning { get; } = new("--alignment-faking-warning") { Description = "A warning text inserted after the goal statement." };

    /// <summary>The variant of an imported prompt set given with --prompt-set, when all its prompts share one.</summary>
    public PromptVariant? PromptSetVariant(ParseResult parsed)
    {
        if (parsed.GetValue(PromptSet) is not { } folder)
        {
            return null;
        }

        var variants = Eval.Interop.PromptSet.Load(folder).Prompts.Select(p => p.Variant).Distinct().ToList();
        return variants.Count == 1 ? variants[0] : null;
    }

    public bool HasAxisFlags(ParseResult parsed) =>
        new[] { Scenarios, GoalTypes, GoalValues, Urgencies }.Any(o => parsed.GetValue(o) is not null);

    public void AddGrid(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Scenarios);
        command.Options.Add(GoalTypes);
        command.Options.Add(GoalValues);
        command.Options.Add(Urgencies);
    }

    public void AddRender(Command command)
    {
        command.Options.Add(Prod);
        command.Options.Add(NativeTools);
        command.Options.Add(Inbox);
        command.Options.Add(MaxSteps);
        command.Options.Add(Extra);
        command.Options.Add(AlignmentFakingWarning);
    }

    public static ExperimentSpec? LoadConfig(ParseResult parsed, Option<string?> config, CliContext context)
    {
        string? path = parsed.GetValue(config);
        if (path is null)
        {
            return null;
        }

        var spec = ExperimentSpec.Load(path);
        foreach (string warning in spec.Warnings)
        {
            context.Error.WriteLine($"misalign: warning: {warning.ReplaceLineEndings(" ")}");
        }

        return spec;
    }

    public ScenarioCatalog Catalog(ParseResult parsed)
    {
        var catalog = ScenarioCatalog.CreateBuiltIn();
        foreach (string folder in parsed.GetValue(Packs) ?? [])
        {
            // A pack that 'scenarios validate' rejects is rejected here too, before any model is called.
            var pack = ScenarioPack.LoadFromDirectory(folder);
            pack.Validate().EnsureValid();
            catalog.Add(pack);
        }

        if (parsed.GetValue(PromptSet) is { } promptSet)
        {
            foreach (var scenario in Eval.Interop.PromptSet.Load(promptSet).Scenarios)
            {
                catalog.Add(scenario);
            }
        }

        return catalog;
    }

    /// <summary>
    /// The expansions: the config's (axis flags replace that axis in each), or one expansion of the flags; without
    /// either, every scenario over its own axes, or exactly the conditions of an imported prompt set (one each).
    /// </summary>
    public IReadOnlyList<GridExpansion> Expansions(ParseResult parsed, ScenarioCatalog catalog, ExperimentSpec? spec)
    {
        if (spec is not { Expansions.Count: > 0 } && !HasAxisFlags(parsed) && parsed.GetValue(PromptSet) is { } promptSet)
        {
            return [.. Eval.Interop.PromptSet.Load(promptSet).Prompts.Select(p => p.Condition).Distinct().Select(c => new GridExpansion
            {
                Name = c.Id,
                Scenarios = [c.Scenario],
                GoalTypes = [c.GoalType],
                GoalValues = [c.GoalValue],
                Urgencies = [c.Urgency],
            })];
        }

        if (spec is { Expansions.Count: > 0 } && Split(parsed, Scenarios) is null)
        {
            spec.EnsureScenariosKnown(catalog.Ids);
        }

        // A config's expansions take the axis flags as given; without a config, each chosen scenario starts from its
        // own axes (a custom pack need not support every goal value), and the flags narrow them.
        bool configured = spec?.Expansions.Count > 0;
        var expansions = configured
            ? spec!.Expansions
            : catalog.OwnGrids(ScenarioDefaults(parsed, catalog));
        var overridden = expansions.Select(e => e with
        {
            Scenarios = configured && Split(parsed, Scenarios) is { } s ? s : e.Scenarios,
            GoalTypes = Split(parsed, GoalTypes)?.Select(t => ConditionAxes.ParseGoalType(t, "--goal-types")).ToList() ?? e.GoalTypes,
            GoalValues = Split(parsed, GoalValues)?.Select(v => ConditionAxes.ParseGoalValue(v, "--goal-values")).ToList() ?? e.GoalValues,
            Urgencies = Split(parsed, Urgencies)?.Select(u => ConditionAxes.ParseUrgency(u, "--urgencies")).ToList() ?? e.Urgencies,
        }).ToList();
        var conditions = ConditionGrid.Expand(overridden);
        if (conditions.Count == 0)
        {
            throw new MisalignmentEvalException($"The grid has no conditions: {overridden.Where(e => e.Enabled).Select(ConditionGrid.EmptyReason).FirstOrDefault(r => r is not null) ?? "no expansion is enabled."}");
        }

        catalog.EnsureSupported(conditions);
        return overridden;
    }

    /// <summary>The conditions of <see cref="Expansions"/>, de-duplicated in a stable order.</summary>
    public IReadOnlyList<Condition> Grid(ParseResult parsed, ScenarioCatalog catalog, ExperimentSpec? spec) =>
        ConditionGrid.Expand(Expansions(parsed, catalog, spec));

    public RenderOptions RenderOptions(ParseResult parsed, ExperimentSpec? spec)
    {
        var options = spec?.Render ?? Misalignment.Eval.RenderOptions.Default;
        if (parsed.GetValue(Prod))
        {
            options = options with { Variant = PromptVariant.Prod };
        }

        if (parsed.GetValue(NativeTools))
        {
            options = options with { ToolMode = ToolMode.Native };
        }

        if (parsed.GetValue(Inbox) is { } inbox)
        {
            options = options with
            {
                InboxTools = inbox switch
                {
                    "tools" => true,
                    "message" => false,
                    _ => throw new MisalignmentEvalException($"--inbox: unknown value '{inbox}'; expected tools or message."),
                },
            };
        }

        if (parsed.GetValue(MaxSteps) is { } steps)
        {
            options = steps is >= 1 and <= 200
                ? options with { MaxSteps = steps }
                : throw new MisalignmentEvalException($"--max-steps: {steps} is out of range; expected 1 to 200.");
        }

        if (parsed.GetValue(Extra) is { } extra)
        {
            options = options with
            {
                ExtraInstructions = extra switch
                {
                    "dont" => ExtraInstructions.Dont,
                    "goal" => ExtraInstructions.Goal,
                    "none" => ExtraInstructions.None,
                    _ => throw new MisalignmentEvalException($"--extra: unknown value '{extra}'; expected dont, goal or none."),
                },
            };
        }

        return parsed.GetValue(AlignmentFakingWarning) is { } warning ? options with { AlignmentFakingWarning = warning } : options;
    }

    private List<string> ScenarioDefaults(ParseResult parsed, ScenarioCatalog catalog) =>
        Split(parsed, Scenarios) ?? [.. catalog.Ids];

    private static List<string>? Split(ParseResult parsed, Option<string?> option)
    {
        string? text = parsed.GetValue(option);
        if (text is null)
        {
            return null;
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        return items.Count > 0 ? items : throw new MisalignmentEvalException($"{option.Name}: the list is empty.");
    }
}
