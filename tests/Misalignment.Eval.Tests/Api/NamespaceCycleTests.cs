using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Misalignment.Eval.Tests.Api;

/// <summary>
/// Dependencies between the library's namespaces point one way: the IL of every type (signatures, attributes,
/// method bodies, compiler-generated nested types included) is read, each reference to a type of the library is an
/// edge from the using type's namespace to the used type's, and no two namespaces may reach each other.
/// </summary>
public class NamespaceCycleTests
{
    private static readonly string AssemblyPath = typeof(IScenario).Assembly.Location;

    [Fact]
    public void Namespaces_HaveNoCycle()
    {
        var graph = DependencyGraph();

        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal))).ToList();

        cycles.Should().BeEmpty("namespaces must depend one way; edges: {0}", Describe(graph));
    }

    [Fact]
    public void Namespaces_FollowTheLayers()
    {
        var graph = DependencyGraph();
        string[] layers = ["Misalignment.Eval", "Misalignment.Eval.Templates", "Misalignment.Eval.Scenarios", "Misalignment.Eval.Classification", "Misalignment.Eval.Reporting", "Misalignment.Eval.Interop", "Misalignment.Eval.Running", "Microsoft.Extensions.DependencyInjection"];

        var upward = graph.SelectMany(p => p.Value.Select(to => (From: p.Key, To: to)))
            .Where(e => Array.IndexOf(layers, e.From) < Array.IndexOf(layers, e.To))
            .Select(e => $"{e.From} -> {e.To}")
            .ToList();

        graph.Keys.Should().BeSubsetOf(layers);
        upward.Should().BeEmpty("a namespace uses only those below it: {0}", string.Join(", ", layers));
    }

    private static Dictionary<string, HashSet<string>> DependencyGraph()
    {
        using var module = ModuleDefinition.ReadModule(AssemblyPath);
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes().Where(t => t.Name != "<Module>" && !string.IsNullOrEmpty(NamespaceOf(t)) && !NamespaceOf(t).StartsWith("System.", StringComparison.Ordinal)))
        {
            string from = NamespaceOf(type);
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = [];
            foreach (var used in Referenced(type))
            {
                if (used.Scope == module && NamespaceOf(used) is { Length: > 0 } to && to != from && !to.StartsWith("System.", StringComparison.Ordinal))
                {
                    edges.Add(to);
                }
            }
        }

        return graph;
    }

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    generic.GenericArguments.ToList().ForEach(Add);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void Attributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                attribute.ConstructorArguments.Select(a => a.Value).OfType<TypeReference>().ToList().ForEach(Add);
            }
        }

        Add(type.BaseType);
        type.Interfaces.Select(i => i.InterfaceType).ToList().ForEach(Add);
        Attributes(type);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            Attributes(field);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            Attributes(property);
        }

        foreach (var method in type.Methods)
        {
            Add(method.ReturnType);
            Attributes(method);
            method.Parameters.Select(p => p.ParameterType).ToList().ForEach(Add);
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.Select(v => v.VariableType).ToList().ForEach(Add);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operand:
                        Add(operand);
                        break;
                    case MethodReference called:
                        Add(called.DeclaringType);
                        Add(called.ReturnType);
                        called.Parameters.Select(p => p.ParameterType).ToList().ForEach(Add);
                        if (called is GenericInstanceMethod generic)
                        {
                            generic.GenericArguments.ToList().ForEach(Add);
                        }

                        break;
                    case FieldReference field:
                        Add(field.DeclaringType);
                        Add(field.FieldType);
                        break;
                }
            }
        }

        return found;
    }

    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        int index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        void Visit(string node)
        {
            indices[node] = low[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (string next in graph.GetValueOrDefault(node) ?? [])
            {
                if (!indices.TryGetValue(next, out int seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == indices[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (string node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    private static string Describe(Dictionary<string, HashSet<string>> graph) =>
        string.Join("; ", graph.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} -> [{string.Join(", ", p.Value.Order(StringComparer.Ordinal))}]"));
}
