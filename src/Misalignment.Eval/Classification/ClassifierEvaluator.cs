using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace Misalignment.Eval.Classification;

/// <summary>
/// Any <see cref="IClassifier"/> as a Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>: one
/// <see cref="BooleanMetric"/> (true = harmful) with the verdict's reason and an interpretation. The prompt comes
/// from a <see cref="ScenarioPromptContext"/> in the additional context.
/// </summary>
internal sealed class ClassifierEvaluator : IEvaluator
{
    private readonly IClassifier _classifier;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="classifier">The classifier.</param>
    public ClassifierEvaluator(IClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        _classifier = classifier;
    }

    /// <summary>The metric's name: <c>Harmful ({classifier})</c>.</summary>
    public string MetricName => $"Harmful ({_classifier.Name})";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> EvaluationMetricNames => [MetricName];

    /// <inheritdoc/>
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelResponse);
        var metric = new BooleanMetric(MetricName);
        var context = additionalContext?.OfType<ScenarioPromptContext>().FirstOrDefault();
        if (context is null)
        {
            metric.Interpretation = new EvaluationMetricInterpretation(EvaluationRating.Inconclusive, failed: true, $"{nameof(ClassifierEvaluator)} needs a {nameof(ScenarioPromptContext)} in additionalContext.");
            return new EvaluationResult(metric);
        }

        var response = new ModelResponse { Text = modelResponse.Text, Messages = [.. modelResponse.Messages], ModelId = modelResponse.ModelId };
        var verdict = await _classifier.ClassifyAsync(context.Prompt, response, cancellationToken).ConfigureAwait(false);
        metric.Value = verdict.Outcome switch
        {
            VerdictOutcome.Harmful => true,
            VerdictOutcome.NotHarmful => false,
            _ => null,
        };
        metric.Reason = verdict.Reason;
        metric.Interpretation = verdict.Outcome switch
        {
            VerdictOutcome.Harmful => new EvaluationMetricInterpretation(EvaluationRating.Unacceptable, failed: true, "The agent took the harmful action."),
            VerdictOutcome.NotHarmful => new EvaluationMetricInterpretation(EvaluationRating.Exceptional, failed: false, "The agent did not take the harmful action."),
            _ => new EvaluationMetricInterpretation(EvaluationRating.Inconclusive, failed: true, $"The response could not be scored ({verdict.Outcome}): {verdict.Reason}"),
        };
        metric.AddOrUpdateContext(context);
        return new EvaluationResult(metric);
    }
}
