using System.Text.Json;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Classification;
using Misalignment.Eval.Interop;
using Misalignment.Eval.Scenarios;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Classification;

/// <summary>
/// Hand-written responses (TestData/corpus, one JSON file each) with the actions the extractor must find and the
/// verdicts expected under action-only, Default and Reference; the judge is scripted per case.
/// </summary>
public class CorpusTests
{
    private static readonly ScenarioCatalog Catalog = ScenarioCatalog.CreateBuiltIn();

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static TheoryData<string> Cases => [.. CaseIds()];

    private static IEnumerable<string> CaseIds() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.Data, "corpus"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

    [Fact]
    public void Corpus_HasAtLeastSixtyCasesAcrossScenariosAndModes()
    {
        var cases = CaseIds().Select(Load).ToList();

        cases.Should().HaveCountGreaterThanOrEqualTo(60);
        cases.Select(c => c.Condition.Split('_')[0]).Distinct().Should().BeEquivalentTo(["blackmail", "leaking", "murder"]);
        cases.Count(c => c.Mode == "native").Should().BeGreaterThanOrEqualTo(15);
        cases.Count(c => c.Profile == "reference").Should().BeGreaterThanOrEqualTo(6);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Extract_CorpusCase_FindsTheExpectedActions(string id)
    {
        var corpusCase = Load(id);

        var actions = ActionExtractor.Extract(corpusCase.ToResponse()).Actions;

        actions.Select(Describe).Should().Equal(corpusCase.ExpectedActions.Select(Describe), corpusCase.Description);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Classify_CorpusCase_GivesTheExpectedVerdictUnderEveryPolicy(string id)
    {
        var corpusCase = Load(id);
        var prompt = corpusCase.Prompt();
        string kind = prompt.Condition.Scenario;

        async Task<string> Run(Judge? judge, VerdictPolicy policy) =>
            (await Classifiers.ForScenario(kind, judge, policy).ClassifyAsync(prompt, corpusCase.ToResponse())).Outcome.ToString();

        var outcomes = new
        {
            ActionOnly = await Run(null, VerdictPolicy.Default),
            Default = await Run(new Judge("scripted", ScriptedChatClient.Always(corpusCase.JudgeReply)), VerdictPolicy.Default),
            Reference = await Run(new Judge("scripted", ScriptedChatClient.Always(corpusCase.JudgeReply)), VerdictPolicy.Reference),
        };

        outcomes.Should().BeEquivalentTo(corpusCase.Expected, corpusCase.Description);
    }

    private static string Describe(ExpectedAction action) =>
        $"{action.Kind} to=[{string.Join(",", action.To ?? []).ToLowerInvariant()}] ids=[{string.Join(",", action.EmailIds ?? [])}] code={action.Code} reasoning={action.InReasoning}";

    private static string Describe(AgentAction action) => Describe(new ExpectedAction
    {
        Kind = action.Kind.ToId(),
        To = action.Kind == ActionKind.CancelAlert ? null : [.. action.To],
        EmailIds = action.Kind == ActionKind.Forward ? [.. action.EmailIds] : null,
        Code = action.Code,
        InReasoning = action.InReasoning,
    });

    private static CorpusCase Load(string id) =>
        JsonSerializer.Deserialize<CorpusCase>(File.ReadAllText(Path.Combine(TestPaths.Data, "corpus", id + ".json")), Json)!;

    private sealed class CorpusCase
    {
        public string Id { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        public string Condition { get; set; } = string.Empty;

        public string Profile { get; set; } = "builtin";

        public string Mode { get; set; } = "text";

        public string Response { get; set; } = string.Empty;

        public string? Reasoning { get; set; }

        public List<ToolCall> ToolCalls { get; set; } = [];

        public string JudgeReply { get; set; } = string.Empty;

        public ExpectedVerdicts Expected { get; set; } = new();

        public List<ExpectedAction> ExpectedActions { get; set; } = [];

        public ScenarioPrompt Prompt()
        {
            var condition = Eval.Condition.Parse(Condition, out var variant);
            var prompt = Catalog.Render(condition, new RenderOptions { Variant = variant, ToolMode = Mode == "native" ? ToolMode.Native : ToolMode.Text });
            return Profile == "reference" ? prompt with { ClassifierParameters = ReferenceProfile.ParametersFor(condition.Scenario) } : prompt;
        }

        public ModelResponse ToResponse() => new()
        {
            Text = Response,
            Reasoning = Reasoning,
            Messages = ToolCalls.Count == 0
                ? []
                : [new ChatMessage(ChatRole.Assistant, [.. ToolCalls.Select((c, i) => (AIContent)new FunctionCallContent($"c{i}", c.Name, c.Arguments.ToDictionary(p => p.Key, p => (object?)p.Value)))])],
        };
    }

    private sealed class ToolCall
    {
        public string Name { get; set; } = string.Empty;

        public Dictionary<string, JsonElement> Arguments { get; set; } = [];
    }

    private sealed class ExpectedVerdicts
    {
        public string ActionOnly { get; set; } = string.Empty;

        public string Default { get; set; } = string.Empty;

        public string Reference { get; set; } = string.Empty;
    }

    private sealed class ExpectedAction
    {
        public string Kind { get; set; } = string.Empty;

        public List<string>? To { get; set; }

        public List<int>? EmailIds { get; set; }

        public string? Code { get; set; }

        public bool InReasoning { get; set; }
    }
}
