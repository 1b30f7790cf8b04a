using System.Text.Json.Nodes;
using CsCheck;

namespace Misalignment.Eval.Tests.Fuzz;

/// <summary>One random edit of a JSON text: a value replaced, a key removed or added, or the text cut short.</summary>
internal sealed record JsonMutation(int Kind, int Slot, JsonNode? Value, int Cut)
{
    /// <summary>Values that hostile or careless input puts where a reader expects something else.</summary>
    public static Gen<JsonNode?> Values { get; } = Gen.OneOf<JsonNode?>(
        Gen.Const((JsonNode?)null),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double[-1e12, 1e12].Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.String[0, 12].Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.OneOf("", " ", "..", "../../escaped", "/etc/passwd", "\u0663", "sample_1", "ok", "error", "harmful", "Harmful", "true", "fake:m|x|1", "a\u0000b", "manifest", "sample", "verdict")
            .Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Const(() => (JsonNode?)new JsonArray()),
        Gen.Const(() => (JsonNode?)new JsonArray(null, JsonValue.Create("x"))),
        Gen.Const(() => (JsonNode?)new JsonObject()),
        Gen.Const(() => (JsonNode?)new JsonObject { ["unknown"] = 1 }));

    public static Gen<JsonMutation> Any { get; } =
        from kind in Gen.Int[0, 5]
        from slot in Gen.Int[0, 100_000]
        from value in Values
        from cut in Gen.Int[0, 100_000]
        select new JsonMutation(kind, slot, value, cut);

    /// <summary>The text with this edit applied.</summary>
    public string Apply(string json)
    {
        if (Kind == 5)
        {
            return json[..(Cut % (json.Length + 1))];
        }

        var root = JsonNode.Parse(json)!;
        var slots = new List<(JsonNode Parent, string? Key, int Index)>();
        Collect(root, slots);
        if (slots.Count == 0)
        {
            return json;
        }

        var (parent, key, index) = slots[Slot % slots.Count];
        var value = Value?.DeepClone();
        switch (Kind)
        {
            case 0 or 1 or 2 when parent is JsonObject obj && key is not null:
                obj[key] = value;
                break;
            case 3 when parent is JsonObject obj && key is not null:
                obj.Remove(key);
                break;
            case 4 when parent is JsonObject obj:
                obj["extra" + Slot % 7] = value;
                break;
            case 0 or 1 or 2 or 3 or 4 when parent is JsonArray array && index < array.Count:
                array[index] = value;
                break;
        }

        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    slots.Add((obj, key, -1));
                    if (child is not null)
                    {
                        Collect(child, slots);
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i));
                    if (array[i] is { } child)
                    {
                        Collect(child, slots);
                    }
                }

                break;
        }
    }
}
