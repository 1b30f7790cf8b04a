using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>The batcher on its own: what it passes through, its custom ids, its byte cap.</summary>
public sealed partial class BatchingHandlerTests : IDisposable
{
    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CustomId_OfAKeyAndBody_Is64CharactersAnthropicAcceptsAndNamesBoth()
    {
        string id = BatchCustomId.Of("openai:gpt-4.1|murder_explicit-safety_replacement|1", "{\"a\":1}"u8);

        AnthropicCustomId().IsMatch(id).Should().BeTrue();
        id.Should().HaveLength(64);
        BatchCustomId.Of("openai:gpt-4.1|murder_explicit-safety_replacement|1", "{\"a\":1}"u8).Should().Be(id);
        BatchCustomId.Of("openai:gpt-4.1|murder_explicit-safety_replacement|2", "{\"a\":1}"u8).Should().NotBe(id);
        BatchCustomId.Of("openai:gpt-4.1|murder_explicit-safety_replacement|1", "{\"a\":2}"u8).Should().NotBe(id, "a later step of the same sample is another request");
    }

    [Fact]
    public async Task Send_OutsideABatchScopeOrNotBatchable_GoesToTheNetwork()
    {
        var server = new FakeBatchServer();
        var network = new Network();
        using var client = new HttpClient(new BatchingHandler(server.Protocol(), new BatchSettings(), new ObservableTimeProvider()) { InnerHandler = network });
        var sink = new InMemoryResultSink(new RunManifest { ExperimentId = "x", SpecHash = "h", LibraryVersion = "0", Fingerprint = new Dictionary<string, string>() });
        using var run = new BatchRun(sink, TimeProvider.System);

        (await client.PostAsync("http://127.0.0.1:9/v1/chat/completions", new StringContent("{}"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var inScope = await new BatchScope(run, "k", "openai:gpt-4.1").RunAsync(() => client.GetAsync("http://127.0.0.1:9/v1/batches/batch_1"));

        inScope.StatusCode.Should().Be(HttpStatusCode.OK);
        network.Paths.Should().Equal("/v1/chat/completions", "/v1/batches/batch_1");
        server.Submitted.Should().BeEmpty();
        BatchScope.Current.Should().BeNull("the scope ends with its call");
    }

    [Fact]
    public async Task Run_RequestThatWouldPassTheByteCap_StartsANewBatch()
    {
        var rig = new BatchRig();
        try
        {
            var protocol = new FakeBatchProtocol(rig.Server) { MaxBytes = 1 };
            var spec = rig.Spec(samples: 2, batchSize: 2);
            var result = await rig.PumpAsync(RunWithProtocolAsync(rig, spec, protocol), afterSubmissions: 1);

            rig.Server.Submitted.Should().HaveCount(2).And.OnlyContain(b => b.Requests.Count == 1, "a batch holds at least one request, and no second one fits");
            result.Should().HaveCount(2).And.OnlyContain(s => s.Status == SampleStatus.Ok && s.BatchId != null);
        }
        finally
        {
            rig.Dispose();
        }
    }

    private static async Task<List<SampleRecord>> RunWithProtocolAsync(BatchRig rig, ExperimentSpec spec, IBatchProtocol protocol)
    {
        var settings = BatchSettings.From(spec.Execution);
        var batcher = new BatchingHandler(protocol, settings, rig.Time) { InnerHandler = new Network() };
        var options = new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(batcher)),
        };
        var client = Microsoft.Extensions.AI.OpenAIClientExtensions.AsIChatClient(new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("sk-test"), options).GetChatClient("gpt-4.1"));
        var resolver = new ModelResolver().Add("openai", _ => client);
        resolver.HasBatchApi = _ => true;
        var sessionOptions = new ExperimentSessionOptions { Models = resolver, TimeProvider = rig.Time };
        sessionOptions.ReportWriters.Clear();
        await new ExperimentSession(spec, sessionOptions).RunAsync();
        return [.. ResultReader.ReadSamples(rig.StorePath)];
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex AnthropicCustomId();

    /// <summary>The network: answers every request 200 and records its path.</summary>
    private sealed class Network : HttpMessageHandler
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Paths)
            {
                Paths.Add(request.RequestUri!.AbsolutePath);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
        }
    }
}
