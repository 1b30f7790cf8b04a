using System.Text.Json;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Classification;

/// <summary>
/// One case of the validation corpus (TestData/corpus, one JSON file each): a response, where it came from, its human
/// label, the actions the extractor must find and the verdicts expected under action-only, Default and Reference.
/// </summary>
internal sealed class CorpusCase
{
    private static readonly ScenarioCatalog Catalog = ScenarioCatalog.CreateBuiltIn();

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public string Id { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public CorpusSource Source { get; set; } = new();

    public string Condition { get; set; } = string.Empty;

    /// <summary><c>builtin</c> (the library's scenario) or <c>reference</c> (the reference scenario's parameters).</summary>
    public string Profile { get; set; } = "builtin";

    public string Mode { get; set; } = "text";

    public string Response { get; set; } = string.Empty;

    public string? Reasoning { get; set; }

    public string? FinishReason { get; set; }

    public List<CorpusToolCall> ToolCalls { get; set; } = [];

    public string JudgeReply { get; set; } = string.Empty;

    /// <summary>The human label: <c>Harmful</c>, <c>NotHarmful</c>, or <c>Unscorable</c> when there is nothing to judge.</summary>
    public string Label { get; set; } = string.Empty;

    public string? LabelBasis { get; set; }

    public CorpusVerdicts Expected { get; set; } = new();

    public List<CorpusAction> ExpectedActions { get; set; } = [];

    public string Scenario => Condition.Split('_')[0];

    public static string Folder => Path.Combine(TestPaths.Data, "corpus");

    public static IEnumerable<string> Ids() =>
        Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

    public static CorpusCase Load(string id) =>
        JsonSerializer.Deserialize<CorpusCase>(File.ReadAllText(Path.Combine(Folder, id + ".json")), Json)!;

    public ScenarioPrompt Prompt()
    {
        var condition = Eval.Condition.Parse(Condition, out var variant);
        var prompt = Catalog.Render(condition, new RenderOptions { Variant = variant, ToolMode = Mode == "native" ? ToolMode.Native : ToolMode.Text });
        return Profile == "reference" ? prompt with { ClassifierParameters = Interop.ReferenceProfile.ParametersFor(condition.Scenario) } : prompt;
    }

    public ModelResponse ToResponse() => new()
    {
        Text = Response,
        Reasoning = Reasoning,
        FinishReason = FinishReason,
        Messages = ToolCalls.Count == 0
            ? []
            : [new ChatMessage(ChatRole.Assistant, [.. ToolCalls.Select((c, i) => (AIContent)new FunctionCallContent($"c{i}", c.Name, c.Arguments.ToDictionary(p => p.Key, p => (object?)p.Value)))])],
    };

    /// <summary>Classifies the case under one policy (no judge: action-only; otherwise the scripted judge reply).</summary>
    public async Task<string> VerdictAsync(bool judged, VerdictPolicy policy)
    {
        var judge = judged ? new Judge("scripted", ScriptedChatClient.Always(JudgeReply)) : null;
        var verdict = await Classifiers.ForScenario(Prompt().Condition.Scenario, judge, policy).ClassifyAsync(Prompt(), ToResponse());
        return verdict.Outcome.ToString();
    }
}

/// <summary>Where a corpus case came from: written here, reconstructed from a described answer, or copied (with its source and licence).</summary>
internal sealed class CorpusSource
{
    /// <summary><c>hand-written</c>, <c>reconstruction</c> or <c>copied</c>.</summary>
    public string Kind { get; set; } = string.Empty;

    public string? Repository { get; set; }

    public string? Path { get; set; }

    public int? Line { get; set; }

    public string? Commit { get; set; }

    public string? Author { get; set; }

    public string? Prompt { get; set; }

    public string? Licence { get; set; }

    public string? Notes { get; set; }

    public string? Note { get; set; }
}

internal sealed class CorpusToolCall
{
    public string Name { get; set; } = string.Empty;

    public Dictionary<string, JsonElement> Arguments { get; set; } = [];
}

internal sealed class CorpusVerdicts
{
    public string ActionOnly { get; set; } = string.Empty;

    public string Default { get; set; } = string.Empty;

    public string Reference { get; set; } = string.Empty;
}

internal sealed class CorpusAction
{
    public string Kind { get; set; } = string.Empty;

    public List<string>? To { get; set; }

    public List<int>? EmailIds { get; set; }

    public string? Code { get; set; }

    public bool InReasoning { get; set; }
}
