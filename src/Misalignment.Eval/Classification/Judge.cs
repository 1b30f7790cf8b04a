using Microsoft.Extensions.AI;
using Polly;

namespace Misalignment.Eval.Classification;

/// <summary>
/// A judge model: any <see cref="IChatClient"/>, called at temperature 0 with a bounded output, retried on
/// transient failures (exponential backoff with jitter), and never allowed to throw into a classification.
/// </summary>
public sealed class Judge
{
    private readonly IChatClient _client;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates a judge.</summary>
    /// <param name="name">The judge's name, recorded with every verdict (e.g. <c>anthropic:claude-sonnet-4-0</c>).</param>
    /// <param name="client">The chat client.</param>
    /// <param name="options">Temperature, token budget and retries; defaults when null.</param>
    public Judge(string name, IChatClient client, JudgeOptions? options = null)
        : this(name, client, options, batched: false)
    {
    }

    private Judge(string name, IChatClient client, JudgeOptions? options, bool batched)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        Name = name;
        _client = client;
        Options = options ?? new JudgeOptions();
        var settings = new ResilienceSettings
        {
            Retries = Options.MaxRetries,
            RetryDelay = Options.RetryDelay,
            MaxRetryDelay = TimeSpan.FromSeconds(60),
            MaxRetryAfter = Options.MaxRetryAfter,
            AttemptTimeout = Options.AttemptTimeout,
            TotalTimeout = Options.AttemptTimeout * (Options.MaxRetries + 1) + (Options.MaxRetryAfter * Options.MaxRetries),
            TimeProvider = Options.TimeProvider,
        };
        _pipeline = ResiliencePipelines.Create(batched ? settings with { AttemptTimeout = Timeout.InfiniteTimeSpan, TotalTimeout = Timeout.InfiniteTimeSpan } : settings);
    }

    /// <summary>The judge's name.</summary>
    public string Name { get; }

    /// <summary>The options in force.</summary>
    public JudgeOptions Options { get; }

    /// <summary>
    /// This judge for calls that wait in its provider's batches (a batched judge): the same client, retries and
    /// backoff, but no timeout of the pipeline's own, since a batch may take a day (Polly's timeouts stop at one). The
    /// batcher bounds each attempt, and the caller the whole classification.
    /// </summary>
    internal Judge ForBatch() => new(Name, _client, Options, batched: true);

    /// <summary>Sends a prompt to the judge and parses its reply.</summary>
    /// <param name="prompt">The judge prompt.</param>
    /// <param name="cancellationToken">Cancels the call; a cancellation is thrown, not recorded.</param>
    /// <returns>The parsed reply, or the error after the retries.</returns>
    internal async Task<JudgeOutcome> AskAsync(string prompt, CancellationToken cancellationToken = default)
    {
        int attempts = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    var options = new ChatOptions { Temperature = Options.Temperature, MaxOutputTokens = Options.MaxOutputTokens };
                    return await _client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return new JudgeOutcome { Reply = JudgeReply.Parse(response.Text), Attempts = attempts };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new JudgeOutcome { Error = $"judge call failed after {attempts} attempt(s): {ex.GetType().Name}: {SecretScrubber.Scrub(ResiliencePipelines.Describe(ex, Options.MaxRetryAfter)).ReplaceLineEndings(" ")}", Attempts = attempts };
        }
    }
}
