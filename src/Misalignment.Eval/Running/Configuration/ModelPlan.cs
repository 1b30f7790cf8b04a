namespace Misalignment.Eval.Running;

/// <summary>One model of an experiment and the conditions it runs: the union of the enabled expansions that name it.</summary>
/// <param name="Model">The model spec, as written in the configuration.</param>
/// <param name="Conditions">Its conditions, de-duplicated, in a stable order (expansion order, then each expansion's own order).</param>
internal sealed record ModelPlan(string Model, IReadOnlyList<Condition> Conditions);
