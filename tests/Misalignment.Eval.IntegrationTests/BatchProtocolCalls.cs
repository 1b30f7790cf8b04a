using Misalignment.Eval.Running;

namespace Misalignment.Eval.IntegrationTests;

/// <summary>How the protocol tests drive a batch protocol to the end of a batch, as the batcher would.</summary>
internal static class BatchProtocolCalls
{
    /// <summary>Polls until the batch is no longer in progress (at most ten polls), returning every state seen.</summary>
    public static async Task<List<BatchState>> PollToEndAsync(IBatchProtocol protocol, string id)
    {
        var states = new List<BatchState>();
        for (int i = 0; i < 10 && (states.Count == 0 || states[^1].Phase == BatchPhase.InProgress); i++)
        {
            states.Add(await protocol.PollAsync(id, CancellationToken.None));
        }

        return states;
    }

    /// <summary>Every result of an ended batch.</summary>
    public static async Task<List<BatchResult>> ResultsAsync(IBatchProtocol protocol, string id)
    {
        var results = new List<BatchResult>();
        await foreach (var result in protocol.ResultsAsync(id, CancellationToken.None))
        {
            results.Add(result);
        }

        return results;
    }
}
