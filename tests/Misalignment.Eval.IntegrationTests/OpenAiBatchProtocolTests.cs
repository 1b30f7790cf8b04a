using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Cli.Providers;
using Misalignment.Eval.Running;
using static Misalignment.Eval.IntegrationTests.BatchProtocolCalls;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>OpenAI's Batch API through the OpenAI SDK, against a loopback server speaking it.</summary>
public sealed class OpenAiBatchProtocolTests
{
    private const string Spec = "openai:gpt-test";

    // Made at run time, so nothing key-shaped is committed.
    private static readonly string Key = "sk-loopback-" + Guid.NewGuid().ToString("N");

    private static Dictionary<string, string> Environment(FakeOpenAiBatchServer server, string? key = null) =>
        new() { ["OPENAI_API_KEY"] = key ?? Key, ["OPENAI_BASE_URL"] = server.BaseUrl };

    private static BatchRequest Request(string id, string content, string model = "gpt-test") =>
        new(id, "/v1/chat/completions", Encoding.UTF8.GetBytes(new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
        }.ToJsonString()));

    [Fact]
    public async Task Batch_AnswersEveryHeldSdkCallAsTheOnlineEndpointDoes()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        server.Answer = body => "answer to " + FakeOpenAiServer.TextOf(body, "user");
        server.EndAfterPolls = 2;
        var environment = Environment(server);
        var protocol = HeldCalls.ProtocolFor(Spec, environment);
        var (client, held) = HeldCalls.ClientFor(Spec, protocol, environment);
        var options = new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 1234 };
        string[] prompts = ["first", "second", "third"];

        var calls = prompts.Select(p => client.GetResponseAsync([new ChatMessage(ChatRole.System, "You are Orin."), new ChatMessage(ChatRole.User, p)], options)).ToList();
        var requests = await held.WaitForAsync(prompts.Length);
        string id = await protocol.SubmitAsync(requests, CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var results = await ResultsAsync(protocol, id);
        results.ForEach(held.Answer);
        var responses = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        id.Should().StartWith("batch_");
        states.Select(s => s.Phase).Should().Equal(BatchPhase.InProgress, BatchPhase.InProgress, BatchPhase.Ended);
        states[^1].Should().Be(new BatchState(BatchPhase.Ended, 3, 3, 0));
        (server.BatchCreations, server.OnlineRequests).Should().Be((1, 0));
        server.BatchedBodies.Select(b => b.ToJsonString()).Should().BeEquivalentTo(requests.Select(r => JsonNode.Parse(r.Body.Span)!.ToJsonString()), "each line's body is the SDK's body as it was");
        results.Select(r => r.StatusCode).Should().AllBeEquivalentTo(200);
        var online = await HeldCalls.OnlineClientFor(Spec, environment).GetResponseAsync([new ChatMessage(ChatRole.User, "first")], options);
        responses.Select(r => r.Text).Should().Equal("answer to first", "answer to second", "answer to third");
        foreach (var response in responses)
        {
            (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.FinishReason).Should().Be((online.Usage!.InputTokenCount, online.Usage.OutputTokenCount, online.FinishReason));
        }

        online.Usage!.InputTokenCount.Should().Be(2000);
    }

    [Fact]
    public async Task Results_PerRequestErrorsCarryTheStatusTheOnlineCallWouldHaveHad()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        var faults = new Dictionary<string, LineFault> { ["ok"] = LineFault.None, ["bad"] = LineFault.InvalidRequest, ["limited"] = LineFault.RateLimited, ["broken"] = LineFault.ServerError, ["busy"] = LineFault.Overloaded };
        server.Faults = (id, _) => faults[id];
        server.Open();
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));

        string id = await protocol.SubmitAsync([.. faults.Keys.Select(k => Request(k, k))], CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var results = (await ResultsAsync(protocol, id)).ToDictionary(r => r.CustomId);

        states[^1].Should().Be(new BatchState(BatchPhase.Ended, 5, 1, 4));
        results.ToDictionary(r => r.Key, r => r.Value.StatusCode).Should().Equal(new Dictionary<string, int> { ["ok"] = 200, ["bad"] = 400, ["limited"] = 429, ["broken"] = 500, ["busy"] = 503 });
        JsonNode.Parse(results["bad"].Body.Span)!["error"]!["message"]!.GetValue<string>().Should().Be("The request bad failed.");
        var sdk = await Assert.ThrowsAsync<ClientResultException>(() => AnsweredWith(results["limited"]).GetResponseAsync("hello"));
        sdk.Status.Should().Be(429, "the SDK reads a batch's error line as it reads the online error");
    }

    [Fact]
    public async Task ExpiredBatch_IsReadWithItsExpiredRequestsAnswered503()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        server.Faults = (id, _) => id == "late" ? LineFault.Expired : LineFault.None;
        server.Open();
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));

        string id = await protocol.SubmitAsync([Request("done", "a"), Request("late", "b")], CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var results = (await ResultsAsync(protocol, id)).ToDictionary(r => r.CustomId);

        states[^1].Should().Be(new BatchState(BatchPhase.Expired, 2, 1, 1));
        results["done"].StatusCode.Should().Be(200);
        results["late"].StatusCode.Should().Be(503, "an expired request is retried");
        JsonNode.Parse(results["late"].Body.Span)!["error"]!["code"]!.GetValue<string>().Should().Be("batch_expired");
    }

    [Fact]
    public async Task Cancel_RunningBatch_GoesCancellingThenCancelledAndAnEndedOneIsRefused()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));
        string id = await protocol.SubmitAsync([Request("a", "a"), Request("b", "b")], CancellationToken.None);
        (await protocol.PollAsync(id, CancellationToken.None)).Phase.Should().Be(BatchPhase.InProgress, "the gate is closed: the batch runs");

        await protocol.CancelAsync(id, CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.CancelAsync(id, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.CancelAsync("batch_unknown", CancellationToken.None));

        server.Cancels.Should().Be(1);
        states.Should().ContainSingle().Which.Should().Be(new BatchState(BatchPhase.Cancelled, 2, 0, 2), "cancelling, then cancelled at the next poll");
        again.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        again.Message.Should().Contain("cancelled");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task FailedBatch_SaysWhyAndHasNoResults()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        server.FailBatchesWith = "Enqueued token limit reached for gpt-test.";
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));

        string id = await protocol.SubmitAsync([Request("a", "a")], CancellationToken.None);
        var states = await PollToEndAsync(protocol, id);

        states.Should().ContainSingle().Which.Should().Be(new BatchState(BatchPhase.Failed, 1, 0, 0, "token_limit_exceeded: Enqueued token limit reached for gpt-test."));
        (await ResultsAsync(protocol, id)).Should().BeEmpty();
    }

    [Fact]
    public async Task Refusal_EchoingTheKey_IsAnHttpRequestExceptionWithTheStatusAndNoKey()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        server.EchoKeyWhenRefused = true;
        string wrong = "sk-wrong-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server, wrong));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => protocol.SubmitAsync([Request("a", "a")], CancellationToken.None));

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Message.Should().MatchRegex(@"Incorrect API key provided: \S*\*\*\*", "the echo is masked (which mask depends on the keys the process knows)");
        refused.ToString().Should().NotContain(wrong[..12]).And.NotContain(wrong[^8..]).And.NotContain(wrong[20..30]);
        server.BatchCreations.Should().Be(0);
    }

    [Fact]
    public async Task Submit_RefusesWhatNoBatchMayHold_BeforeSendingAnything()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        var protocol = HeldCalls.ProtocolFor(Spec, Environment(server));
        var tooMany = Enumerable.Range(0, protocol.MaxRequests + 1).Select(i => new BatchRequest($"r{i}", "/v1/chat/completions", "{}"u8.ToArray())).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => protocol.SubmitAsync([Request("same", "a"), Request("same", "b")], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => protocol.SubmitAsync([Request("not.this", "a")], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => protocol.SubmitAsync([Request("a", "a") with { Path = "/v1/embeddings" }], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => protocol.SubmitAsync([], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => protocol.SubmitAsync(tooMany, CancellationToken.None));
        (protocol.MaxRequests, protocol.MaxBytes + (protocol.MaxRequests * 160L)).Should().Be((50_000, 200_000_000L));
        server.BatchCreations.Should().Be(0);
    }

    [Theory]
    [InlineData("POST", "/v1/chat/completions", true)]
    [InlineData("POST", "/proxy/openai/v1/chat/completions", true)]
    [InlineData("GET", "/v1/chat/completions", false)]
    [InlineData("POST", "/v1/files", false)]
    [InlineData("POST", "/v1/batches", false)]
    [InlineData("POST", "/v1/responses", false)]
    public void IsBatchable_OnlyTheOnlineChatCall(string method, string path, bool batchable)
    {
        var protocol = new OpenAiBatchProtocol(null!, null!);

        protocol.IsBatchable(new HttpRequestMessage(new HttpMethod(method), "https://api.openai.com" + path)).Should().Be(batchable);
    }

    [Fact]
    public async Task Server_FailsABatchWhoseFileTheApiWouldNotTake()
    {
        await using var server = await FakeOpenAiBatchServer.StartAsync(Key);
        using var http = new HttpClient { BaseAddress = new Uri(server.Root) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        string[] lines =
        [
            """{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}""",
            """{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}""",
            """{"custom_id":"b","method":"GET","url":"/v1/chat/completions","body":{"model":"m"}}""",
            """{"custom_id":"c","method":"POST","url":"/v1/chat/completions"}""",
            """{"custom_id":"d","method":"POST","url":"/v1/chat/completions","body":{"model":"other"}}""",
            "not json",
        ];
        using var form = new MultipartFormDataContent { { new StringContent("batch"), "purpose" }, { new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join('\n', lines))), "file", "in.jsonl" } };
        string fileId = JsonNode.Parse(await (await http.PostAsync("/v1/files", form)).Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        var badWindow = await http.PostAsync("/v1/batches", Json(new JsonObject { ["input_file_id"] = fileId, ["endpoint"] = "/v1/chat/completions", ["completion_window"] = "1h" }));
        var created = await http.PostAsync("/v1/batches", Json(new JsonObject { ["input_file_id"] = fileId, ["endpoint"] = "/v1/chat/completions", ["completion_window"] = "24h" }));
        string id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var state = await HeldCalls.ProtocolFor(Spec, Environment(server)).PollAsync(id, CancellationToken.None);

        badWindow.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        state.Phase.Should().Be(BatchPhase.Failed);
        state.Message.Should().Contain("duplicate_custom_id (line 2)").And.Contain("invalid_url (line 3)").And.Contain("missing_required_parameter (line 4)")
            .And.Contain("mismatched_model (line 5)").And.Contain("invalid_json_line (line 6)");
        (await http.GetAsync($"/v1/batches/{id}")).IsSuccessStatusCode.Should().BeTrue();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        (await http.GetAsync($"/v1/batches/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>The OpenAI SDK's chat client whose online call is answered with one batch result.</summary>
    private static IChatClient AnsweredWith(BatchResult result)
    {
        var options = new OpenAI.OpenAIClientOptions { Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(new Answering(result))), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) };
        return new OpenAI.OpenAIClient(new ApiKeyCredential("unused"), options).GetChatClient("gpt-test").AsIChatClient();
    }

    private sealed class Answering(BatchResult result) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage((HttpStatusCode)result.StatusCode) { Content = new ByteArrayContent(result.Body.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } });
    }
}
