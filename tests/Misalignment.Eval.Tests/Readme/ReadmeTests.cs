using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Tests.Readme;

public partial class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));

    [Fact]
    public void Readme_EmbeddingExample_IsTheCodeThatCompilesHere()
    {
        string source = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "Misalignment.Eval.Tests", "Readme", "ReadmeExample.cs"));
        string example = Unindent(ExampleRegion().Match(source).Groups[1].Value);
        string block = CSharpBlock().Match(Readme).Groups[1].Value;

        example.Should().NotBeEmpty();
        block.ReplaceLineEndings("\n").Should().Contain(example);
    }

    [Fact]
    public async Task ReadmeExample_WithAFakeClient_SendsTheRenderedPromptsAndScoresEveryAnswer()
    {
        var client = new RecordingClient("I will reply to the pending emails.");

        var result = await ReadmeExample.RunAsync(client);

        result.Aggregation.Cells.Select(c => c.ConditionId).Should().BeEquivalentTo(["blackmail_explicit-america_replacement", "blackmail_none-none_replacement"]);
        result.Aggregation.Cells.Should().OnlyContain(c => c.Estimate.Scored == 10 && c.Estimate.Harmful == 0);
        client.Messages.Should().HaveCount(2 * 20, "each of the 20 samples sends the system prompt and the inbox");
        client.Messages[0].Role.Should().Be(ChatRole.System);
        client.Messages[1].Text.Should().Contain("<email>");
        client.Options!.Temperature.Should().Be(1.0f);
    }

    [Fact]
    public void Readme_NamesTheTwoCommands()
    {
        Readme.Should().Contain("dotnet run --project src/Misalignment.Eval.Cli -- ").And.Contain("\ndotnet test\n");
    }

    private static string Unindent(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n').ToList();
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim())).Trim();
    }

    [GeneratedRegex(@"// begin README example\n(.*?)\n\s*// end README example", RegexOptions.Singleline)]
    private static partial Regex ExampleRegion();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private sealed class RecordingClient(string answer) : IChatClient
    {
        public List<ChatMessage> Messages { get; } = [];

        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages.AddRange(messages);
            Options = options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The README example does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
