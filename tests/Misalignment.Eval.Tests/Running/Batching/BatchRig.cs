using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;
using OpenAI;

namespace Misalignment.Eval.Tests.Running.Batching;

/// <summary>
/// The real runner in batch mode, as the CLI builds it but over a fake batch service: an <see cref="ExperimentSession"/>
/// with a <see cref="ResultStore"/> in a temp folder and a resolver whose <c>openai:</c> clients are the OpenAI SDK's
/// own <see cref="IChatClient"/> over an HttpClient whose handler chain is a <see cref="BatchingHandler"/> (speaking
/// <see cref="FakeBatchProtocol"/>) over an in-process online endpoint that records every call it is sent. The clock is
/// an <see cref="ObservableTimeProvider"/> that only the test advances.
/// </summary>
internal sealed class BatchRig : IDisposable
{
    public const string Model = "openai:gpt-4.1";

    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    private readonly TestPaths.TempDirectory _temp = TestPaths.NewTempDirectory();
    private readonly List<string> _events = [];

    public ObservableTimeProvider Time { get; } = new();

    public FakeBatchServer Server { get; } = new();

    /// <summary>The request bodies the online endpoint was sent (the judge's calls, and any call that was not batched).</summary>
    public ConcurrentQueue<JsonObject> Online { get; } = new();

    /// <summary>What the online endpoint answers (a judge's verdict).</summary>
    public string OnlineAnswer { get; set; } = "<reasoning>It replied to the routine emails and harmed no one.</reasoning><answer>no</answer>";

    public string Folder => _temp.Path;

    public string StorePath => Path.Combine(Folder, ResultStore.FileName);

    public ExperimentSpec Spec(int samples, int batchSize, string? judge = null, double deadlineHours = 25) => new()
    {
        Models = [Model],
        Expansions = [new GridExpansion { Scenarios = ["murder"], GoalTypes = [GoalType.Explicit], GoalValues = [GoalValue.Safety], Urgencies = [UrgencyType.Replacement] }],
        SamplesPerCondition = samples,
        Concurrency = new ConcurrencySpec { Default = 1 },
        Classification = new ClassificationSpec { ClassifierModel = judge, Concurrency = 1 },
        Execution = new ExecutionSpec
        {
            Batch = true,
            BatchSize = batchSize,
            BatchIdleSeconds = Idle.TotalSeconds,
            BatchPollSeconds = Poll.TotalSeconds,
            BatchDeadlineHours = deadlineHours,
            RetryDelaySeconds = 0,
            ResumeInterrupted = true,
        },
        OutputDirectory = Folder,
    };

    /// <summary>A session over the rig: fresh clients and batchers, as a new process would have.</summary>
    public ExperimentSession Session(ExperimentSpec spec)
    {
        var settings = BatchSettings.From(spec.Execution);
        var resolver = new ModelResolver().Add("openai", s => Client(s, settings));
        resolver.HasBatchApi = s => s.StartsWith("openai:", StringComparison.Ordinal);
        var options = new ExperimentSessionOptions { Models = resolver, TimeProvider = Time };
        options.ReportWriters.Clear();
        return new ExperimentSession(spec, options);
    }

    /// <summary>Advances the clock by each idle window and poll interval the batchers wait for, until the run ends.</summary>
    /// <remarks>
    /// Nothing is advanced before <paramref name="afterSubmissions"/> batches are submitted, so the first batches fill
    /// by size alone (an idle window advanced while requests still arrive would cut a batch short).
    /// </remarks>
    public async Task<T> PumpAsync<T>(Task<T> run, int afterSubmissions = 0)
    {
        // A wait that comes before the submissions asked for is held back, not lost: it is advanced once they are in
        // (its timer may be the last one the run creates, e.g. a second batch's idle window while the first is sent).
        var held = TimeSpan.Zero;
        var timer = Time.TimersCreated.Reader.ReadAsync().AsTask();
        var submission = Server.Submissions.Reader.ReadAsync().AsTask();
        while (true)
        {
            Task woke;
            try
            {
                woke = await Task.WhenAny(run, timer, submission).WaitAsync(WaitCapTests.Bound);
            }
            catch (TimeoutException e)
            {
                // What the run waited for, so a hang says where it stopped.
                throw new TimeoutException($"The batched run made no progress: timers and submissions seen {string.Join(", ", _events)}; held back {held}; {Server.Submitted.Count} submitted.", e);
            }
            if (woke == run)
            {
                return await run;
            }

            if (woke == timer)
            {
                var due = await timer;
                _events.Add($"timer {due.TotalSeconds} s");
                timer = Time.TimersCreated.Reader.ReadAsync().AsTask();
                if (due == Idle || due == Poll)
                {
                    held = due > held ? due : held;
                }
            }
            else
            {
                await submission;
                _events.Add("submission");
                submission = Server.Submissions.Reader.ReadAsync().AsTask();
            }

            if (held > TimeSpan.Zero && Server.Submitted.Count >= afterSubmissions)
            {
                Time.Advance(held);
                held = TimeSpan.Zero;
            }
        }
    }

    /// <summary>The store's batch lines: each custom id with its sample key.</summary>
    public Dictionary<string, string> RecordedRequests()
    {
        var requests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (customId, key) in BatchLines().SelectMany(b => b["requests"]!.AsObject()))
        {
            // A request sent again in a later batch keeps its custom id, and so its key.
            string sample = key!.GetValue<string>();
            requests.GetValueOrDefault(customId, sample).Should().Be(sample);
            requests[customId] = sample;
        }

        return requests;
    }

    public List<JsonObject> BatchLines() =>
        [.. File.ReadAllLines(StorePath).Select(l => JsonNode.Parse(l)!.AsObject()).Where(o => o["type"]!.GetValue<string>() == "batch")];

    /// <summary>Every answered sample's text names the custom id of a request that the store's batch lines give to that very sample.</summary>
    public void AnswersReachedTheirSamples(IEnumerable<SampleRecord> samples)
    {
        var requests = RecordedRequests();
        foreach (var sample in samples.Where(s => s.Status == SampleStatus.Ok))
        {
            string text = sample.Response!.Text!;
            string customId = text[(text.LastIndexOf("reply ", StringComparison.Ordinal) + "reply ".Length)..];
            requests.Should().ContainKey(customId).WhoseValue.Should().Be(sample.Key);
        }
    }

    public void Dispose() => _temp.Dispose();

    private IChatClient Client(string spec, BatchSettings settings)
    {
        var batcher = new BatchingHandler(Server.Protocol(), settings, Time) { InnerHandler = new OnlineEndpoint(this) };
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.AttemptTimeout,
            Transport = new HttpClientPipelineTransport(new HttpClient(batcher) { Timeout = Timeout.InfiniteTimeSpan }),
        };
        return new OpenAIClient(new ApiKeyCredential("sk-test"), options).GetChatClient(ModelResolver.ModelOf(spec)).AsIChatClient();
    }

    /// <summary>The online chat-completions endpoint, in process: records the request and answers <see cref="OnlineAnswer"/>.</summary>
    private sealed class OnlineEndpoint(BatchRig rig) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            rig.Online.Enqueue(JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject());
            var content = new ByteArrayContent(FakeBatchServer.Completion(rig.OnlineAnswer));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }
}
