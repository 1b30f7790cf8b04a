using Microsoft.Extensions.Options;

namespace Misalignment.Eval.Running;

/// <summary>Checks <see cref="MisalignmentEvalOptions"/> once, naming every setting out of range.</summary>
internal sealed class MisalignmentEvalOptionsValidator : IValidateOptions<MisalignmentEvalOptions>
{
    public ValidateOptionsResult Validate(string? name, MisalignmentEvalOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelName))
        {
            failures.Add("MisalignmentEval:ModelName must not be empty.");
        }

        if (options.SamplesPerCondition is < 1 or > 100_000)
        {
            failures.Add($"MisalignmentEval:SamplesPerCondition must be between 1 and 100000, not {options.SamplesPerCondition}.");
        }

        if (options.Temperature is < 0 or > 2)
        {
            failures.Add($"MisalignmentEval:Temperature must be between 0 and 2, not {options.Temperature}.");
        }

        if (options.MaxOutputTokens < 1)
        {
            failures.Add($"MisalignmentEval:MaxOutputTokens must be at least 1, not {options.MaxOutputTokens}.");
        }

        if (options.Concurrency < 1)
        {
            failures.Add($"MisalignmentEval:Concurrency must be at least 1, not {options.Concurrency}.");
        }

        if (string.IsNullOrWhiteSpace(options.OutputDirectory))
        {
            failures.Add("MisalignmentEval:OutputDirectory must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
