using System.Reflection;
using System.Text;

namespace Misalignment.Eval.Tests.Api;

/// <summary>
/// Tracks the library's public API: the surface is listed as text and compared with the approved file.
/// After an intended change, run the tests with MISALIGN_ACCEPT_API=1 to rewrite the approved file, and review its diff.
/// </summary>
public class PublicApiTests
{
    private static string ApprovedFile => Path.Combine(TestPaths.RepositoryRoot, "tests", "Misalignment.Eval.Tests", "Api", "Misalignment.Eval.approved.txt");

    [Fact]
    public void PublicApi_MatchesTheApprovedFile()
    {
        string actual = Describe(typeof(IScenario).Assembly);
        if (Environment.GetEnvironmentVariable("MISALIGN_ACCEPT_API") == "1")
        {
            File.WriteAllText(ApprovedFile, actual);
        }

        string approved = File.Exists(ApprovedFile) ? File.ReadAllText(ApprovedFile).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            File.WriteAllText(Path.ChangeExtension(ApprovedFile, ".received.txt"), actual);
        }

        actual.Should().Be(approved, "the public API changed; review {0} and accept it with MISALIGN_ACCEPT_API=1", Path.ChangeExtension(ApprovedFile, ".received.txt"));
    }

    [Fact]
    public void PublicApi_EveryPublicTypeIsDocumented()
    {
        string xml = Path.ChangeExtension(typeof(IScenario).Assembly.Location, ".xml");
        string docs = File.ReadAllText(xml);

        typeof(IScenario).Assembly.GetExportedTypes()
            .Where(t => !docs.Contains($"\"T:{t.FullName}\"", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .Should().BeEmpty();
    }

    internal static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(Kind(type)).Append(' ').Append(Name(type));
            var bases = new List<Type>();
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
            {
                bases.Add(baseType);
            }

            bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic && !i.Name.StartsWith("IEquatable", StringComparison.Ordinal)).OrderBy(i => i.Name, StringComparer.Ordinal));
            if (bases.Count > 0)
            {
                text.Append(" : ").Append(string.Join(", ", bases.Select(Name)));
            }

            text.Append('\n');
            foreach (string member in Members(type).Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.IsEnum)
        {
            foreach (string name in Enum.GetNames(type))
            {
                yield return name;
            }

            yield break;
        }

        foreach (var member in type.GetMembers(Flags))
        {
            switch (member)
            {
                case ConstructorInfo ctor:
                    yield return $"ctor({Parameters(ctor)})";
                    break;
                case MethodInfo method when !method.IsSpecialName && method.Name is not ("<Clone>$" or "Deconstruct" or "PrintMembers" or "GetHashCode" or "Equals" or "ToString"):
                    yield return $"{(method.IsStatic ? "static " : string.Empty)}{Name(method.ReturnType)} {method.Name}{Generic(method)}({Parameters(method)})";
                    break;
                case PropertyInfo property:
                    string accessors = (property.GetMethod?.IsPublic == true ? "get; " : string.Empty) + (property.SetMethod?.IsPublic == true ? (IsInit(property) ? "init; " : "set; ") : string.Empty);
                    yield return $"{(property.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(property.PropertyType)} {property.Name} {{ {accessors}}}";
                    break;
                case FieldInfo field:
                    yield return $"{(field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty)}{Name(field.FieldType)} {field.Name}";
                    break;
                case EventInfo @event:
                    yield return $"event {Name(@event.EventHandlerType!)} {@event.Name}";
                    break;
            }
        }
    }

    private static bool IsInit(PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit");

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : string.Empty;

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Kind(Type type) =>
        type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Name(inner) + "?";
        }

        if (!type.IsGenericType)
        {
            return type.IsGenericParameter ? type.Name : type.FullName ?? type.Name;
        }

        string name = type.GetGenericTypeDefinition().FullName!;
        return $"{name[..name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }
}
