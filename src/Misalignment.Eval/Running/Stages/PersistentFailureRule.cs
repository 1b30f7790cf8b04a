using System.Collections.Concurrent;

namespace Misalignment.Eval.Running;

/// <summary>
/// Decides when a model's failures say it cannot work at all (a bad key, a missing model), so its remaining work
/// stops with one recorded reason while the other models go on: HTTP 401 or 404 at once; 403 once it has been seen
/// on three different conditions (a content refusal of one prompt is no reason to stop).
/// </summary>
internal sealed class PersistentFailureRule
{
    private const int ForbiddenBeforeStop = 3;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _forbidden = new(StringComparer.Ordinal);

    public bool StopsModel(string model, string conditionId, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (TransientFailures.StatusOf(failure) is not { } status || TransientFailures.IsTransient(failure))
        {
            return false;
        }

        return status switch
        {
            401 or 404 => true,
            403 => Forbidden(model, conditionId),
            _ => false,
        };
    }

    private bool Forbidden(string model, string conditionId)
    {
        var seen = _forbidden.GetOrAdd(model, _ => new(StringComparer.Ordinal));
        seen.TryAdd(conditionId, 0);
        return seen.Count >= ForbiddenBeforeStop;
    }
}
