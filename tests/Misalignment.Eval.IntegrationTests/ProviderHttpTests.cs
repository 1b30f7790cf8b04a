using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>
/// The handlers of a <see cref="ProviderHttp"/> really sit between each SDK and the network: a recording handler sees the
/// OpenAI SDK's and the Anthropic SDK's requests, in order, and the adaptive limiter is given to the providers that
/// announce limits only.
/// </summary>
public sealed class ProviderHttpTests
{
    [Theory]
    [InlineData("openai", "/v1/chat/completions")]
    [InlineData("openai-compatible", "/v1/chat/completions")]
    [InlineData("anthropic", "/v1/messages")]
    public async Task Handlers_SeeTheSdksRequests_OutermostFirst(string provider, string path)
    {
        await using var server = await LoopbackServer.StartAsync(request => request.Path.EndsWith("/messages", StringComparison.Ordinal)
            ? LoopbackServer.Message(new JsonObject { ["type"] = "text", ["text"] = "hello" })
            : LoopbackServer.Completion(request, "hello"));
        var seen = new ConcurrentQueue<string>();
        var http = new ProviderHttp { Handlers = [(_, _) => new Recording("outer", seen), (_, _) => new Recording("inner", seen)] };
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "loopback-key",
            ["OPENAI_BASE_URL"] = $"{server.Root}/v1",
            ["ANTHROPIC_API_KEY"] = "loopback-key",
            ["ANTHROPIC_BASE_URL"] = server.Root,
        };
        string spec = provider == "openai-compatible" ? $"openai-compatible:{server.Root}/v1#model-x" : $"{provider}:model-x";

        using var client = ProviderFactory.Create(ModelSpec.Parse(spec, name => environment.GetValueOrDefault(name)), TimeSpan.FromSeconds(30), name => environment.GetValueOrDefault(name), http: http);
        var first = await client.GetResponseAsync("hi");
        var second = await client.GetResponseAsync("again");

        (first.Text, second.Text).Should().Be(("hello", "hello"));
        seen.Should().Equal($"outer POST {path}", $"inner POST {path}", $"outer POST {path}", $"inner POST {path}");
        server.Requests.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("openai:gpt-x", true)]
    [InlineData("anthropic:claude-x", true)]
    [InlineData("gemini:gemini-x", true)]
    [InlineData("ollama:llama-x", false)]
    public void AdaptiveFactory_GivesAHandlerToProvidersThatAnnounceLimits_AndTheClientCountsItsWaits(string spec, bool paced)
    {
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k", ["ANTHROPIC_API_KEY"] = "k", ["GEMINI_API_KEY"] = "k" };

        using var client = ProviderFactory.Create(ModelSpec.Parse(spec, name => environment.GetValueOrDefault(name)), TimeSpan.FromSeconds(30), name => environment.GetValueOrDefault(name), http: AdaptiveLimitsHttp.For(adaptive: true));

        (client.GetService<IRateLimitWaitSource>() is AdaptiveRateLimitHandler).Should().Be(paced);
        AdaptiveLimitsHttp.For(adaptive: false).Handlers.Should().BeEmpty();
    }

    [Fact]
    public void AdaptiveFactory_ClientsOfTheSameModelShareTheirBudget_OthersDoNot()
    {
        var factory = AdaptiveLimitsHttp.Factory(TimeProvider.System);
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k" };
        ProviderRequest Request(string spec) => new(ModelSpec.Parse(spec, name => environment.GetValueOrDefault(name)), "k", TimeSpan.FromSeconds(300), name => environment.GetValueOrDefault(name), null);
        var entry = ProviderFactory.Entries.Single(e => e.Info.Id == "openai");

        var target = (AdaptiveRateLimitHandler)factory(entry, Request("openai:gpt-x"))!;
        var judge = (AdaptiveRateLimitHandler)factory(entry, Request("openai:gpt-x"))!;
        var other = (AdaptiveRateLimitHandler)factory(entry, Request("openai:gpt-y"))!;

        target.Should().NotBeSameAs(judge, "each client has its own handler (a handler sits in one pipeline)");
        target.Limits.Should().BeSameAs(judge.Limits);
        other.Limits.Should().NotBeSameAs(target.Limits);
        AdaptiveLimitsHttp.Cap(TimeSpan.FromSeconds(300)).Should().Be(TimeSpan.FromSeconds(60));
        AdaptiveLimitsHttp.Cap(TimeSpan.FromSeconds(10)).Should().Be(TimeSpan.FromSeconds(5), "a wait leaves the attempt time to run");
    }

    private sealed class Recording(string name, ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue($"{name} {request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
