namespace Misalignment.Eval.Templates;

/// <summary>What a template renders with: the variables, how includes are found, and a record of the names used.</summary>
internal sealed class TemplateContext
{
    public TemplateContext(IReadOnlyDictionary<string, string> variables, Func<string, string, int, Template> resolveInclude, string? scope = null)
    {
        Variables = variables;
        ResolveIncludeCore = resolveInclude;
        Scope = scope;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>When set, every variable name a render uses is added here (for unused-variable validation).</summary>
    public ISet<string>? Used { get; init; }

    /// <summary>How many includes the renders with this context have expanded (bounded by <see cref="Template.MaxIncludes"/>).</summary>
    public int IncludesExpanded { get; set; }

    /// <summary>What is being rendered (e.g. a condition id), for error messages.</summary>
    public string? Scope { get; }

    private Func<string, string, int, Template> ResolveIncludeCore { get; }

    public Template ResolveInclude(string path, string fromFile, int line) => ResolveIncludeCore(path, fromFile, line);

    public string DescribeScope() => Scope is null ? string.Empty : $" (rendering {Scope})";
}
