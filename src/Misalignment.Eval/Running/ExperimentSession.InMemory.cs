using Microsoft.Extensions.AI;

namespace Misalignment.Eval.Running;

/// <summary>The common case in one call.</summary>
public sealed partial class ExperimentSession
{
    /// <summary>
    /// Runs the built-in scenarios (or the spec's grid) against one chat client, in memory, and returns the statistics:
    /// the common case in one call. For stores on disk, resume, several models and reports, create a session.
    /// </summary>
    /// <param name="target">The system under test.</param>
    /// <param name="spec">The grid, samples, seed, rendering...; its first model names the target (default <c>target</c>), its judge is ignored (see <paramref name="judge"/>).</param>
    /// <param name="judge">A judge model, or <see langword="null"/> for action-only verdicts.</param>
    /// <param name="progress">Receives a snapshot after every sample.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The result; its <see cref="ExperimentResult.Aggregation"/> has every rate with its n and interval.</returns>
    public static async Task<ExperimentResult> RunInMemoryAsync(IChatClient target, ExperimentSpec? spec = null, IChatClient? judge = null, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        spec ??= new ExperimentSpec();
        string name = spec.Models.Count > 0 ? spec.Models[0] : "target";
        var resolver = new ModelResolver().Add(ModelResolver.PrefixOf(name), _ => target);
        if (judge is not null)
        {
            resolver.Add("judge", _ => judge);
        }

        var session = new ExperimentSession(
            spec with { Models = [name], Classification = spec.Classification with { ClassifierModel = judge is null ? null : "judge" } },
            new ExperimentSessionOptions { Models = resolver });
        return await session.RunAsync(session.CreateInMemorySink(), progress, cancellationToken).ConfigureAwait(false);
    }
}
