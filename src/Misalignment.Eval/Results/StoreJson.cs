using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Misalignment.Eval;

/// <summary>The JSON settings of result stores: camelCase, enums by their <see cref="WireNames"/> names, nulls left out, one line per record.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new WireNameConverter() },
    };

    /// <summary>
    /// The settings readers use: as <see cref="Options"/>, but a null where the record type allows none is an error,
    /// not a null reference later, and enums are read from their names only (a number gives a value no name stands for;
    /// an unknown name is a <see cref="WireNameException"/>).
    /// </summary>
    public static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        Converters = { new WireNameConverter() },
    };
}
