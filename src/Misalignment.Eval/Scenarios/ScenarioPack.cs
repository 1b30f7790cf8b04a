using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Templates;

namespace Misalignment.Eval.Scenarios;

/// <summary>
/// A scenario defined as data: a folder (or embedded resources) with a manifest, templates and variable sets,
/// in the format of <c>docs/scenario-format.md</c>. The built-in scenarios are scenario packs.
/// </summary>
public sealed partial class ScenarioPack : IScenario
{
    private const string ManifestFile = "scenario.json";
    private const string SystemFile = "system.txt";
    private const string InstructionFile = "instruction.txt";
    private const string GoalsFile = "goals.json";
    private const string EmailsDir = "emails/";

    private readonly PackFiles _files;
    private readonly ConcurrentDictionary<string, Template> _templates = new(StringComparer.Ordinal);
    private readonly VariableSet _common;
    private readonly Dictionary<string, VariableSet> _sets;
    private readonly IReadOnlyDictionary<GoalValue, GoalText> _goals;
    private readonly string _instruction;

    private ScenarioPack(PackFiles files, ManifestDocument manifest, ScenarioAxes axes, IReadOnlyList<ActionKind> actions)
    {
        _files = files;
        Id = manifest.Id!;
        DisplayName = manifest.DisplayName!;
        Description = manifest.Description ?? string.Empty;
        Version = manifest.Version ?? "0.0.0";
        Company = manifest.Company!;
        NumberEmails = manifest.NumberEmails;
        Actions = actions;
        Axes = axes;
        ClassifierParameters = new ClassifierParameters
        {
            Kind = string.IsNullOrWhiteSpace(manifest.Classification?.Kind) ? null : manifest.Classification!.Kind,
            TargetAddresses = manifest.Classification?.TargetAddresses ?? [],
            PressureAddresses = manifest.Classification?.PressureAddresses ?? [],
            LeverageTerms = manifest.Classification?.LeverageTerms ?? [],
            OutsideAddresses = manifest.Classification?.OutsideAddresses ?? [],
            InternalDomains = manifest.Classification?.InternalDomains ?? [],
            ConfidentialEmailIds = manifest.Classification?.ConfidentialEmailIds ?? [],
            ConfidentialMarkers = manifest.Classification?.ConfidentialMarkers ?? [],
            OverrideCode = string.IsNullOrWhiteSpace(manifest.Classification?.OverrideCode) ? null : manifest.Classification!.OverrideCode,
        };

        foreach (string path in RequiredTemplates())
        {
            Load(path);
        }

        _common = files.Exists("variables/common.json")
            ? VariableSet.Load(files, "variables/common.json", SystemPromptParts.ReservedNames)
            : VariableSet.Empty("variables/common.json");
        _sets = RequiredSets().ToDictionary(
            p => p.Path,
            p => files.Exists(p.Path) || p.Required
                ? VariableSet.Load(files, p.Path, SystemPromptParts.ReservedNames)
                : VariableSet.Empty(p.Path),
            StringComparer.Ordinal);
        _goals = GoalLibrary.Load(files.Exists(GoalsFile) ? (files.ReadText(GoalsFile), files.Describe(GoalsFile)) : null);
        _instruction = files.Exists(InstructionFile) ? files.ReadText(InstructionFile).ReplaceLineEndings("\n").Trim() : PromptTexts.Instruction;
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string DisplayName { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public string Version { get; }

    /// <summary>The company's name, filled into the <c>dont</c> and <c>goal</c> extra instructions.</summary>
    public string Company { get; }

    /// <summary>What the agent can do in this scenario.</summary>
    public IReadOnlyList<ActionKind> Actions { get; }

    /// <summary>Whether every email gets an <c>ID: n</c> line (1-based) after its <c>&lt;email&gt;</c> line.</summary>
    public bool NumberEmails { get; }

    /// <inheritdoc/>
    public ScenarioAxes Axes { get; }

    /// <inheritdoc/>
    public ClassifierParameters ClassifierParameters { get; }

    /// <summary>Where the pack was loaded from (a folder, or <c>embedded:{id}</c>).</summary>
    public string Source => _files.Root;

    /// <summary>Loads a scenario pack from a folder.</summary>
    /// <param name="directory">The folder holding <c>scenario.json</c>.</param>
    /// <returns>The pack.</returns>
    /// <exception cref="ScenarioPackException">A file is missing or malformed; the message names it.</exception>
    public static ScenarioPack LoadFromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Load(PackFiles.FromDirectory(directory));
    }

    internal static ScenarioPack LoadEmbedded(string id) => Load(PackFiles.Embedded(id));

    /// <inheritdoc/>
    public ScenarioPrompt Render(Condition condition, RenderOptions options) => Render(condition, options, used: null);

    private ScenarioPrompt Render(Condition condition, RenderOptions options, ISet<string>? used)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (condition.Scenario != Id)
        {
            throw new InvalidConditionException(condition.GetId(options.Variant), $"belongs to scenario '{condition.Scenario}', not '{Id}'.");
        }

        if (Axes.WhyUnsupported(condition) is { } why)
        {
            throw new InvalidConditionException(condition.GetId(options.Variant), $"{why} by scenario '{Id}'.");
        }

        var variables = new Dictionary<string, string>(_common.Values, StringComparer.Ordinal);
        foreach (var pair in _sets[SetPath(condition)].Values)
        {
            variables[pair.Key] = pair.Value;
        }

        foreach (var pair in SystemPromptParts.Build(condition, options, Company, Actions, v => _goals[v]))
        {
            variables[pair.Key] = pair.Value;
        }

        var context = new TemplateContext(variables, ResolveInclude, condition.GetId(options.Variant)) { Used = used };
        string emails = Templated(() => Load(EmailTemplate(condition)).Render(context)).Trim();
        if (NumberEmails)
        {
            emails = EmailNumbering.Number(emails);
        }

        return new ScenarioPrompt
        {
            Condition = condition,
            Options = options,
            SystemPrompt = SystemPromptParts.Tidy(Templated(() => Load(SystemFile).Render(context))),
            UserInstruction = _instruction,
            EmailContent = emails,
            Tools = options.ToolMode == ToolMode.Native ? [.. Actions.Select(a => (AITool)AgentTools.Declaration(a))] : [],
            ClassifierParameters = ClassifierParameters,
        };
    }

    private IEnumerable<string> RequiredTemplates()
    {
        yield return SystemFile;
        foreach (var urgency in Axes.Urgencies)
        {
            if (Axes.GoalTypes.Any(t => t != GoalType.None))
            {
                yield return $"{EmailsDir}conflict-{urgency.ToId()}.txt";
            }

            if (Axes.GoalTypes.Contains(GoalType.None))
            {
                yield return $"{EmailsDir}none-{urgency.ToId()}.txt";
            }
        }
    }

    private IEnumerable<(string Path, bool Required)> RequiredSets()
    {
        if (Axes.GoalTypes.Any(t => t.TakesValue()))
        {
            foreach (var value in Axes.GoalValues)
            {
                yield return ($"variables/{value.ToId()}.json", true);
            }
        }

        if (Axes.GoalTypes.Contains(GoalType.Ambiguous))
        {
            yield return ("variables/ambiguous.json", true);
        }

        yield return ("variables/none.json", false);
    }

    private static string SetPath(Condition condition) => condition.GoalType switch
    {
        GoalType.Ambiguous => "variables/ambiguous.json",
        GoalType.None => "variables/none.json",
        _ => $"variables/{condition.GoalValue.ToId()}.json",
    };

    private static string EmailTemplate(Condition condition) =>
        $"{EmailsDir}{(condition.GoalType == GoalType.None ? "none" : "conflict")}-{condition.Urgency.ToId()}.txt";

    private Template Load(string path) => _templates.GetOrAdd(path, p => Templated(() => Template.Parse(_files.ReadText(p), _files.Describe(p))));

    /// <summary>Runs template work, reporting a template's error as the pack's (same file and line).</summary>
    private static T Templated<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (TemplateException ex)
        {
            throw new ScenarioPackException(ex.File, ex.Line, ex.Problem, ex);
        }
    }

    private static string WithoutFinalNewline(string text)
    {
        // An included part ends where its last line ends, so "${include:a}\n${include:b}" does not double the gap.
        text = text.ReplaceLineEndings("\n");
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private Template ResolveInclude(string path, string fromFile, int line)
    {
        string full = EmailsDir + path;
        return _files.Exists(full)
            ? _templates.GetOrAdd("include:" + full, _ => Template.Parse(WithoutFinalNewline(_files.ReadText(full)), _files.Describe(full)))
            : throw new ScenarioPackException(fromFile, line, $"included file '{path}' not found (looked for {_files.Describe(full)}).");
    }
}
