using System.Diagnostics;
using Polly;

namespace Misalignment.Eval.Running;

/// <summary>
/// Calls the model for one sample through the model's resilience pipeline (retries, timeouts), with the prompt
/// rendered once per condition and variant. A failure is returned, not thrown, unless the run itself was cancelled.
/// </summary>
/// <remarks>A batched model's call runs inside a <see cref="BatchScope"/>, and the batch that answered it is kept.</remarks>
internal sealed class SampleExecutor(PromptCache prompts, long? baseSeed, TimeProvider time, BatchRun? batches = null)
{
    public async Task<SampleExecution> ExecuteAsync(WorkItem item, ModelUnderTest model, ResiliencePipeline pipeline, CancellationToken modelToken)
    {
        var prompt = prompts.Get(item.Condition, item.Variant);
        var request = new ModelRequest { Prompt = prompt, SampleIndex = item.SampleIndex, Seed = item.Seed(baseSeed) };
        var startedAt = time.GetUtcNow();
        long start = time.GetTimestamp();
        int attempts = 0;
        var execution = new SampleExecution { Item = item, Prompt = prompt, Seed = request.Seed, StartedAt = startedAt };
        var scope = model.Batched && batches is not null ? new BatchScope(batches, item.Key, item.Model) : null;
        try
        {
            Task<ModelResponse> Call() => pipeline.ExecuteAsync(
                async token =>
                {
                    Interlocked.Increment(ref attempts);
                    return await model.Model.RespondAsync(request, token).ConfigureAwait(false);
                },
                modelToken).AsTask();
            var response = scope is null ? await Call().ConfigureAwait(false) : await scope.RunAsync(Call).ConfigureAwait(false);
            return execution with { Response = response, Attempts = attempts, LatencyMs = time.GetElapsedTime(start).TotalMilliseconds, BatchId = scope?.BatchId };
        }
        catch (ObjectDisposedException) when (modelToken.IsCancellationRequested)
        {
            // The OpenAI SDK closes a response's stream when its call is cancelled (the model was stopped while a batch's
            // answers were being read): that is the cancellation, not a failure of the sample.
            throw new OperationCanceledException(modelToken);
        }
        catch (Exception ex) when (!modelToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return execution with { Failure = ex, Attempts = attempts, LatencyMs = time.GetElapsedTime(start).TotalMilliseconds, BatchId = scope?.BatchId };
        }
    }
}
