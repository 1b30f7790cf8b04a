using System.Text.Json;
using System.Text.Json.Serialization;

namespace Misalignment.Eval;

/// <summary>Reads and writes every enum of a store by its <see cref="WireNames"/> name; a name it does not know is a <see cref="WireNameException"/>.</summary>
internal sealed class WireNameConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WireNameConverter<>).MakeGenericType(typeToConvert))!;
}

/// <summary>One enum's converter (see <see cref="WireNameConverter"/>).</summary>
/// <typeparam name="T">The enum.</typeparam>
internal sealed class WireNameConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // No message: the serializer says which type it expected and where, as for any other wrong token.
            throw new JsonException();
        }

        string? text = reader.GetString();
        return WireNames<T>.TryParse(text, out var value) ? value : throw new WireNameException(text, WireNames<T>.List);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(WireNames<T>.Of(value));
    }
}

/// <summary>
/// A condition axis of a sample (<c>goalType</c>, <c>goalValue</c>, <c>urgency</c>): its wire name, or
/// <see cref="WireNames.Unknown"/> for <see langword="null"/>, which an imported condition id this grid never produces
/// may hold. Any other name also reads as <see langword="null"/>, as a store written before the axes were typed
/// recorded an imported id's axes as given; a sample whose condition id parses must still hold that id's axes
/// (<see cref="StoreRecordChecks"/>).
/// </summary>
/// <typeparam name="T">The axis enum.</typeparam>
internal sealed class AxisNameConverter<T> : JsonConverter<T?>
    where T : struct, Enum
{
    public override bool HandleNull => true;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        return WireNames<T>.TryParse(reader.GetString(), out var value) ? value : null;
    }

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToId());
    }
}

/// <summary>A store holds a name where an enum's wire name belongs, and it is not one.</summary>
internal sealed class WireNameException : JsonException
{
    public WireNameException(string? text, string expected)
        : base($"'{text}' is not one of {expected}")
    {
        Text = text;
        Expected = expected;
    }

    /// <summary>The name found.</summary>
    public string? Text { get; }

    /// <summary>The names allowed, comma-separated.</summary>
    public string Expected { get; }
}
