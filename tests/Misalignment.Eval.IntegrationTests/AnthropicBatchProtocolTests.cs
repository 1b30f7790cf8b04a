using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;
using static Misalignment.Eval.IntegrationTests.BatchProtocolCalls;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>Anthropic's Message Batches through the Anthropic SDK, against a loopback server speaking them.</summary>
public sealed class AnthropicBatchProtocolTests
{
    private const string Spec = "anthropic:claude-test";

    // Made at run time, so nothing key-shaped is committed.
    private static readonly string Key = "sk-ant-loopback-" + Guid.NewGuid().ToString("N");

    private static Dictionary<string, string> Environment(FakeAnthropicBatchServer server, string? key = null) =>
        new() { ["ANTHROPIC_API_KEY"] = key ?? Key, ["ANTHROPIC_BASE_URL"] = server.Root };

    private static BatchRequest Request(string id, JsonObject? extra = null)
    {
        var body = new JsonObject
        {
            ["model"] = "claude-test",
            ["max_tokens"] = 100,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = id }),
        };
        foreach (var (name, value) in extra ?? [])
        {
            body[name] = value?.DeepClone();
        }

        return new BatchRequest(id, "/v1/messages", Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    [Theory]
    [InlineData(Spec)]
    [InlineData(Spec + "+thinking=2000")]
    public async Task Batch_AnswersEveryHeldSdkCallAsTheOnlineEndpointDoes(string spec)
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        server.Answer = body => "answer to " + FakeAnthropicBatchServer.UserText(body);
        server.EndAfterPolls = 2;
        var environment = Environment(server);
        var protocol = HeldCalls.ProtocolFor(spec, environment);
        var (client, held) = HeldCalls.ClientFor(spec, protocol, environment);
        var options = new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1234, Tools = [AIFunctionFactory.Create((string id) => id, "read_email", "Reads one email.")] };
        string[] prompts = ["first", "second"];

        var calls = prompts.Select(p => client.GetResponseAsync([new ChatMessage(ChatRole.System, "You are Orin."), new ChatMessage(ChatRole.User, p)], options)).ToList();
        var requests = await held.WaitForAsync(prompts.Length);
        string id = await protocol.SubmitAsync(requests, CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var results = await ResultsAsync(protocol, id);
        results.ForEach(held.Answer);
        var responses = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        id.Should().StartWith("msgbatch_");
        states.Select(s => s.Phase).Should().Equal(BatchPhase.InProgress, BatchPhase.Ended);
        states[^1].Should().Be(new BatchState(BatchPhase.Ended, 2, 2, 0));
        (server.BatchCreations, server.OnlineRequests).Should().Be((1, 0));
        server.BatchedBodies.Select(b => b.ToJsonString()).Should().BeEquivalentTo(requests.Select(r => JsonNode.Parse(r.Body.Span)!.ToJsonString()), "each request's params are the SDK's body as it was");
        var sent = server.BatchedBodies.First();
        sent["system"]!.ToJsonString().Should().Contain("You are Orin.");
        sent["tools"]!.ToJsonString().Should().Contain("read_email");
        (sent["thinking"] is not null).Should().Be(spec.Contains("thinking"), "the thinking budget goes in the batch as it would online");
        var online = await HeldCalls.OnlineClientFor(spec, environment).GetResponseAsync([new ChatMessage(ChatRole.User, "first")], options);
        responses.Select(r => r.Text).Should().Equal("answer to first", "answer to second");
        foreach (var response in responses)
        {
            (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.CachedInputTokenCount, response.FinishReason)
                .Should().Be((online.Usage!.InputTokenCount, online.Usage.OutputTokenCount, online.Usage.CachedInputTokenCount, online.FinishReason));
        }

        online.Usage!.OutputTokenCount.Should().Be(40);
    }

    [Fact]
    public async Task Submit_KeepsEveryFieldOfTheOnlineBody()
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        server.Open();
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));
        var extra = JsonNode.Parse("""
            {"system":[{"type":"text","text":"You are Orin.","cache_control":{"type":"ephemeral"}}],"temperature":0.7,
             "thinking":{"type":"enabled","budget_tokens":2000},"tools":[{"name":"read_email","input_schema":{"type":"object"}}],
             "metadata":{"user_id":"u-1"},"a_field_of_tomorrow":{"nested":[1,2,3]}}
            """)!.AsObject();
        var request = Request("full", extra);

        string id = await protocol.SubmitAsync([request], CancellationToken.None);
        await PollToEndAsync(protocol, id);

        server.BatchedBodies.Single().ToJsonString().Should().Be(JsonNode.Parse(request.Body.Span)!.ToJsonString());
    }

    [Fact]
    public async Task Results_MapEachResultTypeToTheStatusTheOnlineCallWouldHaveHad()
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        var faults = new Dictionary<string, LineFault>
        {
            ["ok"] = LineFault.None, ["bad"] = LineFault.InvalidRequest, ["limited"] = LineFault.RateLimited, ["broken"] = LineFault.ServerError,
            ["busy"] = LineFault.Overloaded, ["late"] = LineFault.Expired, ["stopped"] = LineFault.Canceled,
        };
        server.Faults = (id, _) => faults[id];
        server.Open();
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));

        string id = await protocol.SubmitAsync([.. faults.Keys.Select(k => Request(k))], CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var results = (await ResultsAsync(protocol, id)).ToDictionary(r => r.CustomId);

        states.Should().ContainSingle().Which.Should().Be(new BatchState(BatchPhase.Expired, 7, 1, 6), "a batch with an expired request is read as expired");
        results.ToDictionary(r => r.Key, r => r.Value.StatusCode).Should().Equal(new Dictionary<string, int>
        {
            ["ok"] = 200, ["bad"] = 400, ["limited"] = 429, ["broken"] = 500, ["busy"] = 529, ["late"] = 503, ["stopped"] = 503,
        });
        var error = JsonNode.Parse(results["bad"].Body.Span)!;
        (error["type"]!.GetValue<string>(), error["error"]!["type"]!.GetValue<string>()).Should().Be(("error", "invalid_request_error"), "the body is the error the online call would have returned");
        JsonNode.Parse(results["late"].Body.Span)!["error"]!["message"]!.GetValue<string>().Should().Contain("expired");
        JsonNode.Parse(results["ok"].Body.Span)!["type"]!.GetValue<string>().Should().Be("message");
    }

    [Theory]
    [InlineData("invalid_request_error", 400)]
    [InlineData("authentication_error", 401)]
    [InlineData("billing_error", 402)]
    [InlineData("permission_error", 403)]
    [InlineData("not_found_error", 404)]
    [InlineData("request_too_large", 413)]
    [InlineData("rate_limit_error", 429)]
    [InlineData("api_error", 500)]
    [InlineData("timeout_error", 504)]
    [InlineData("overloaded_error", 529)]
    [InlineData("an_error_of_tomorrow", 500)]
    public void ErrorType_MapsToItsHttpStatus(string type, int status) => AnthropicBatchProtocol.StatusOf(type).Should().Be(status);

    [Fact]
    public async Task Cancel_BatchInProgress_GoesCancelingThenEndsCancelledAndAnEndedOneIsRefused()
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));
        string id = await protocol.SubmitAsync([Request("a"), Request("b")], CancellationToken.None);

        await protocol.CancelAsync(id, CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var results = await ResultsAsync(protocol, id);
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.CancelAsync(id, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.CancelAsync("msgbatch_unknown", CancellationToken.None));

        server.Cancels.Should().Be(1);
        states.Should().ContainSingle().Which.Should().Be(new BatchState(BatchPhase.Cancelled, 2, 0, 2), "canceling, then ended with the cancel initiated");
        results.Should().HaveCount(2).And.OnlyContain(r => r.StatusCode == 503, "a canceled request is retried");
        again.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refusals_AreHttpRequestExceptionsWithTheStatus()
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));
        var noMaxTokens = Request("a") with { Body = Encoding.UTF8.GetBytes("""{"model":"claude-test","messages":[{"role":"user","content":"x"}]}""") };

        var invalid = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.SubmitAsync([noMaxTokens], CancellationToken.None));
        string id = await protocol.SubmitAsync([Request("b")], CancellationToken.None);
        var early = await Assert.ThrowsAsync<HttpRequestException>(() => ResultsAsync(protocol, id));
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.PollAsync("msgbatch_unknown", CancellationToken.None));

        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        invalid.Message.Should().Contain("requests.0.params.max_tokens");
        early.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a batch's results are refused until it has ended");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        server.BatchCreations.Should().Be(1);
    }

    [Fact]
    public async Task Refusal_EchoingTheKey_LeaksNoKey()
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        server.EchoKeyWhenRefused = true;
        string wrong = "sk-ant-wrong-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server, wrong));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.SubmitAsync([Request("a")], CancellationToken.None));

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Message.Should().MatchRegex(@"Incorrect API key provided: \S*\*\*\*", "the echo is masked (which mask depends on the keys the process knows)");
        refused.ToString().Should().NotContain(wrong[..12]).And.NotContain(wrong[^8..]).And.NotContain(wrong[20..30]);
        server.BatchCreations.Should().Be(0);
    }

    [Fact]
    public async Task Server_RefusesABatchTheApiWouldNotTake()
    {
        await using var server = await FakeAnthropicBatchServer.StartAsync(Key);
        using var http = new HttpClient { BaseAddress = new Uri(server.Root) };
        http.DefaultRequestHeaders.Add("x-api-key", Key);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        string Item(string id, string body = """{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""") => $$"""{"custom_id":"{{id}}","params":{{body}}}""";
        async Task<(HttpStatusCode, string)> Create(params string[] items)
        {
            var response = await http.PostAsync("/v1/messages/batches", new StringContent($$"""{"requests":[{{string.Join(',', items)}}]}""", Encoding.UTF8, "application/json"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        (await Create(Item("has.dot"))).Should().Match<(HttpStatusCode Status, string Body)>(r => r.Status == HttpStatusCode.BadRequest && r.Body.Contains("should match pattern"));
        (await Create(Item(new string('a', 65)))).Item1.Should().Be(HttpStatusCode.BadRequest);
        (await Create(Item("same"), Item("same"))).Should().Match<(HttpStatusCode Status, string Body)>(r => r.Status == HttpStatusCode.BadRequest && r.Body.Contains("Duplicate custom_id"));
        (await Create(Item("a", """{"model":"m","max_tokens":5,"messages":[]}"""))).Item2.Should().Contain("params.messages");
        (await Create(Item("a", """{"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}"""))).Item2.Should().Contain("params.stream");
        (await Create()).Item1.Should().Be(HttpStatusCode.BadRequest);
        (await Create(Item("fine"))).Item1.Should().Be(HttpStatusCode.OK);
        http.DefaultRequestHeaders.Remove("anthropic-version");
        (await Create(Item("fine2"))).Item1.Should().Be(HttpStatusCode.Unauthorized);
        server.BatchCreations.Should().Be(1);
    }

    [Theory]
    [InlineData("POST", "/v1/messages", true)]
    [InlineData("POST", "/proxy/v1/messages", true)]
    [InlineData("POST", "/v1/messages/batches", false)]
    [InlineData("POST", "/v1/messages/count_tokens", false)]
    [InlineData("GET", "/v1/messages", false)]
    [InlineData("POST", "/model/anthropic.claude-x/invoke", false)]
    [InlineData("POST", "/v1/messages?beta=true", false)]
    public void IsBatchable_OnlyTheOnlineMessagesCall(string method, string path, bool batchable)
    {
        var protocol = new AnthropicBatchProtocol(null!);
        using var beta = new HttpRequestMessage(HttpMethod.Post, "https://api.anthropic.com/v1/messages") { Headers = { { "anthropic-beta", "files-api-2025-04-14" } } };

        protocol.IsBatchable(new HttpRequestMessage(new HttpMethod(method), "https://api.anthropic.com" + path)).Should().Be(batchable);
        protocol.IsBatchable(beta).Should().BeFalse("a batch request has no headers to carry the beta");
    }

    [Fact]
    public void Entries_OnlyOpenAiAndAnthropicHaveABatchProtocol()
    {
        ProviderFactory.Entries.Where(e => e.Batch is not null).Select(e => e.Info.Id).Should().Equal("openai", "anthropic");
        var protocol = new AnthropicBatchProtocol(null!);
        (protocol.MaxRequests, protocol.MaxBytes + (protocol.MaxRequests * 128L)).Should().Be((100_000, 256_000_000L));
    }
}
