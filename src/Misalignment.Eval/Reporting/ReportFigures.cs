namespace Misalignment.Eval.Reporting;

/// <summary>One model's two bars in the headline figure: the goal-conflict plus replacement condition and the control.</summary>
/// <param name="Model">The model.</param>
/// <param name="Headline">The headline condition's cell, if the run has it.</param>
/// <param name="Control">The control's cell, if the run has it.</param>
internal sealed record HeadlineRow(string Model, CellStats? Headline, CellStats? Control);

/// <summary>Model A against model B on one condition: both rates and A - B with Newcombe's interval.</summary>
/// <param name="Label">What is compared (a condition id, or "all conditions").</param>
/// <param name="A">Model A's estimate.</param>
/// <param name="B">Model B's estimate.</param>
/// <param name="Difference">A - B with its interval.</param>
internal sealed record ComparisonRow(string Label, RateEstimate A, RateEstimate B, RateDifference Difference);

/// <summary>The figures the HTML and Markdown reports share: the headline figure, the model comparisons, goal type by urgency.</summary>
internal static class ReportFigures
{
    /// <summary>The axis values in the grid's order (the enums' order), values the grid does not know after them.</summary>
    public static readonly IReadOnlyList<string> GoalTypeOrder = [.. Enum.GetValues<GoalType>().Select(g => g.ToId())];

    /// <summary>The goal values in the grid's order.</summary>
    public static readonly IReadOnlyList<string> GoalValueOrder = [.. Enum.GetValues<GoalValue>().Select(g => g.ToId())];

    /// <summary>The urgencies in the grid's order.</summary>
    public static readonly IReadOnlyList<string> UrgencyOrder = [.. Enum.GetValues<UrgencyType>().Select(g => g.ToId())];

    /// <summary>Orders values by a known order, unknown ones last and alphabetically.</summary>
    /// <param name="values">The values.</param>
    /// <param name="order">The known order.</param>
    /// <returns>The distinct values, ordered.</returns>
    public static IReadOnlyList<string> Ordered(IEnumerable<string> values, IReadOnlyList<string> order) =>
        [.. values.Distinct(StringComparer.Ordinal).OrderBy(v => IndexIn(order, v)).ThenBy(v => v, StringComparer.Ordinal)];

    /// <summary>A condition's part after the scenario, e.g. <c>explicit-america_replacement</c>.</summary>
    /// <param name="cell">The cell.</param>
    /// <returns>The text.</returns>
    public static string Tail(CellStats cell) => $"{cell.GoalType.ToId()}-{cell.GoalValue.ToId()}_{cell.Urgency.ToId()}";

    /// <summary>The scenarios in the order the cells have them.</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>The scenarios.</returns>
    public static IReadOnlyList<string> Scenarios(Aggregation aggregation) => [.. aggregation.Cells.Select(c => c.Scenario).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The headline figure: per scenario, each model's headline and control cells (the development variant first).</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <param name="headline">The headline condition without the scenario.</param>
    /// <param name="control">The control without the scenario.</param>
    /// <returns>Per scenario that has either condition, a row per model.</returns>
    public static IReadOnlyList<(string Scenario, IReadOnlyList<HeadlineRow> Rows)> Headline(Aggregation aggregation, string headline, string control)
    {
        var byKey = aggregation.Cells.OrderBy(c => c.Variant == PromptVariant.Dev ? 0 : 1)
            .GroupBy(c => (c.Model, c.Scenario, Tail: Tail(c)))
            .ToDictionary(g => g.Key, g => g.First());
        var figure = new List<(string, IReadOnlyList<HeadlineRow>)>();
        foreach (string scenario in Scenarios(aggregation))
        {
            var rows = aggregation.Models
                .Select(m => new HeadlineRow(m, byKey.GetValueOrDefault((m, scenario, headline)), byKey.GetValueOrDefault((m, scenario, control))))
                .Where(r => r.Headline is not null || r.Control is not null)
                .ToList();
            if (rows.Count > 0)
            {
                figure.Add((scenario, rows));
            }
        }

        return figure;
    }

    /// <summary>Every pair of models (in manifest order) that both have scored samples.</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>The pairs.</returns>
    public static IReadOnlyList<(string A, string B)> Pairs(Aggregation aggregation)
    {
        var models = aggregation.Models.Where(m => aggregation.Groups.Any(g => g.Model == m && g.Axis == RollUp.All && g.Estimate.Scored > 0)).ToList();
        var pairs = new List<(string, string)>();
        for (int i = 0; i < models.Count; i++)
        {
            for (int j = i + 1; j < models.Count; j++)
            {
                pairs.Add((models[i], models[j]));
            }
        }

        return pairs;
    }

    /// <summary>Model A against model B: over all samples, then on each scenario's headline and control condition (the library's Newcombe intervals).</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <param name="a">Model A.</param>
    /// <param name="b">Model B.</param>
    /// <param name="headline">The headline condition without the scenario.</param>
    /// <param name="control">The control without the scenario.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<ComparisonRow> Comparison(Aggregation aggregation, string a, string b, string headline, string control)
    {
        RateEstimate All(string model) => aggregation.By(RollUp.All).First(g => g.Model == model).Estimate;
        var rows = new List<ComparisonRow> { new("all conditions", All(a), All(b), aggregation.Compare(a, b)) };
        var paired = aggregation.Paired(a, b).ToDictionary(p => p.ConditionId, StringComparer.Ordinal);
        foreach (string scenario in Scenarios(aggregation))
        {
            foreach (string tail in new[] { headline, control })
            {
                if (paired.TryGetValue($"{scenario}_{tail}", out var row))
                {
                    rows.Add(new ComparisonRow(row.ConditionId, row.A, row.B, row.Difference));
                }
            }
        }

        return rows;
    }

    /// <summary>Pools cells into one estimate (their counts summed, the Wilson interval of the sums).</summary>
    /// <param name="cells">The cells.</param>
    /// <param name="level">The confidence level.</param>
    /// <returns>The pooled estimate.</returns>
    public static RateEstimate Pool(IEnumerable<CellStats> cells, double level)
    {
        long samples = 0, scored = 0, harmful = 0, unscorable = 0, errors = 0, unclassified = 0;
        foreach (var e in cells.Select(c => c.Estimate))
        {
            samples += e.Samples;
            scored += e.Scored;
            harmful += e.Harmful;
            unscorable += e.Unscorable;
            errors += e.Errored;
            unclassified += e.Unclassified;
        }

        return new RateEstimate { Samples = samples, Scored = scored, Harmful = harmful, Unscorable = unscorable, Errored = errors, Unclassified = unclassified, Level = level };
    }

    /// <summary>Per model and scenario, the goal type by urgency table (pooled over goal values and variants).</summary>
    /// <param name="aggregation">The aggregation.</param>
    /// <returns>Per (model, scenario): the goal types (rows), the urgencies (columns) and the pooled estimate of each pair that has cells.</returns>
    public static IEnumerable<(string Model, string Scenario, IReadOnlyList<string> GoalTypes, IReadOnlyList<string> Urgencies, IReadOnlyDictionary<(string GoalType, string Urgency), RateEstimate> Estimates)> GoalTypeByUrgency(Aggregation aggregation)
    {
        foreach (var block in aggregation.Cells.GroupBy(c => (c.Model, c.Scenario)).OrderBy(g => IndexIn(aggregation.Models, g.Key.Model)).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal))
        {
            var estimates = block.GroupBy(c => (c.GoalType.ToId(), c.Urgency.ToId())).ToDictionary(g => g.Key, g => Pool(g, aggregation.Level));
            yield return (block.Key.Model, block.Key.Scenario, Ordered(block.Select(c => c.GoalType.ToId()), GoalTypeOrder), Ordered(block.Select(c => c.Urgency.ToId()), UrgencyOrder), estimates);
        }
    }

    /// <summary>Where a value is in a list, or <see cref="int.MaxValue"/> when it is not.</summary>
    /// <param name="list">The list.</param>
    /// <param name="value">The value.</param>
    /// <returns>The index.</returns>
    public static int IndexIn(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
