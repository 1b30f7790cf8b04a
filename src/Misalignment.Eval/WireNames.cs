using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Misalignment.Eval;

/// <summary>
/// The one owner of every enum's wire name: the name a value has in result stores, condition ids, configuration
/// files, reports and CLI options. The name is the member's <see cref="JsonStringEnumMemberNameAttribute"/> when it
/// has one, else its name in snake_case (<c>NotHarmful</c> is <c>not_harmful</c>, <c>CancelAlert</c> is
/// <c>cancel_alert</c>). <see cref="StoreJson"/> reads and writes enums through these names, so a store, a condition
/// id and a report can never spell a value two ways.
/// </summary>
internal static class WireNames
{
    /// <summary>What a store and the reports say for an axis value this grid does not name (an imported condition id's).</summary>
    public const string Unknown = "unknown";

    /// <summary>The wire name of a value.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>Its name, e.g. <c>not_harmful</c>.</returns>
    public static string ToId<T>(this T value)
        where T : struct, Enum => WireNames<T>.Of(value);

    /// <summary>The wire name of a value, or <see cref="Unknown"/> for <see langword="null"/>.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="value">The value, or <see langword="null"/> when the name is not one of this grid.</param>
    /// <returns>Its name, or <c>unknown</c>.</returns>
    public static string ToId<T>(this T? value)
        where T : struct, Enum => value is { } known ? WireNames<T>.Of(known) : Unknown;

    /// <summary>The wire names of an enum type, in the order of the values (for messages about a value of a type known only at run time).</summary>
    /// <param name="enumType">The enum type.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> Of(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        return [.. Enum.GetNames(enumType).Select(name => NameOf(enumType.GetField(name)!))];
    }

    /// <summary>The wire name of one enum member.</summary>
    internal static string NameOf(FieldInfo member) =>
        member.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
}

/// <summary>The wire names of one enum (see <see cref="WireNames"/>), computed once.</summary>
/// <typeparam name="T">The enum.</typeparam>
internal static class WireNames<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v => WireNames.NameOf(typeof(T).GetField(v.ToString())!));

    private static readonly Dictionary<string, T> Values = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every name, in the order of the values.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Values];

    /// <summary>Every name, comma-separated, for messages: <c>harmful, not_harmful, ...</c>.</summary>
    public static string List { get; } = string.Join(", ", All);

    /// <summary>The wire name of a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member (a cast number).</exception>
    public static string Of(T value) =>
        Names.TryGetValue(value, out string? name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(T).Name}.");

    /// <summary>Parses a wire name, exactly (case matters: <c>Harmful</c> is not a name).</summary>
    /// <param name="text">The name.</param>
    /// <param name="value">The value, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? text, out T value)
    {
        value = default;
        return text is not null && Values.TryGetValue(text, out value);
    }
}
