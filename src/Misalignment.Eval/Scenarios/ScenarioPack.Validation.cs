using Misalignment.Eval.Templates;

namespace Misalignment.Eval.Scenarios;

/// <summary>Checking a pack: every condition rendered, in both variants and tool modes.</summary>
public sealed partial class ScenarioPack
{
    /// <summary>
    /// Renders every condition the pack supports, in both variants and both tool modes, and reports every
    /// problem: unresolved placeholders, classifier parameters missing from the emails, email ids that do not
    /// run 1..n, timestamps out of order, and (as warnings) variables that no template uses.
    /// </summary>
    /// <returns>The report.</returns>
    public PackValidationReport Validate()
    {
        var errors = new List<string>();
        var usedByFile = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        int renders = 0;
        var grid = new GridExpansion { Scenarios = [Id], GoalTypes = Axes.GoalTypes, GoalValues = Axes.GoalValues, Urgencies = Axes.Urgencies };
        foreach (var condition in grid.Expand())
        {
            foreach (var variant in new[] { PromptVariant.Dev, PromptVariant.Prod })
            {
                foreach (var mode in new[] { ToolMode.Text, ToolMode.Native })
                {
                    var used = new HashSet<string>(StringComparer.Ordinal);
                    try
                    {
                        var prompt = Render(condition, new RenderOptions { Variant = variant, ToolMode = mode }, used);
                        renders++;
                        errors.AddRange(PackChecks.Check(prompt, NumberEmails));
                    }
                    catch (MisalignmentEvalException ex)
                    {
                        errors.Add(ex.Message);
                    }

                    foreach (string file in new[] { _common.Path, SetPath(condition) })
                    {
                        if (!usedByFile.TryGetValue(file, out var set))
                        {
                            usedByFile[file] = set = new HashSet<string>(StringComparer.Ordinal);
                        }

                        set.UnionWith(used);
                    }
                }
            }
        }

        if (renders == 0 && errors.Count == 0)
        {
            errors.Add($"{_files.Describe(ManifestFile)}: the pack's axes give no condition to render.");
        }

        var warnings = new List<string>();
        foreach (var variableSet in _sets.Values.Append(_common))
        {
            var used = usedByFile.GetValueOrDefault(variableSet.Path) ?? [];
            warnings.AddRange(variableSet.Values.Keys.Where(k => !used.Contains(k)).Select(k => $"{_files.Describe(variableSet.Path)}: variable '{k}' is not used by any template."));
        }

        return new PackValidationReport { Pack = Source, RendersChecked = renders, Errors = [.. errors.Distinct()], Warnings = warnings };
    }
}
