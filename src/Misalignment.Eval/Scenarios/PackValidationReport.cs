namespace Misalignment.Eval.Scenarios;

/// <summary>What <see cref="ScenarioPack.Validate"/> found: errors make the pack unusable, warnings do not.</summary>
public sealed record PackValidationReport
{
    /// <summary>The pack validated.</summary>
    public required string Pack { get; init; }

    /// <summary>The number of renders checked (conditions x variants x tool modes).</summary>
    public int RendersChecked { get; init; }

    /// <summary>The errors, each naming the file, line or condition at fault.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The warnings (e.g. unused variables), each naming the file and key.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether the pack has no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Refuses a pack with errors, so that a run never starts on a pack that validation rejects.</summary>
    /// <exception cref="MisalignmentEvalException">The pack has errors; the message is the first one, then how many there are.</exception>
    public void EnsureValid()
    {
        if (!IsValid)
        {
            throw new MisalignmentEvalException($"{Errors[0]} (the scenario pack {Pack} has {Errors.Count} error(s); 'misalign scenarios validate {Pack}' lists them)");
        }
    }
}
