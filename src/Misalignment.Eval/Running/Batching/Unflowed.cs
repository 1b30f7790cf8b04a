namespace Misalignment.Eval.Running;

/// <summary>Starts work without the caller's execution context, so a sample's <see cref="BatchScope"/> never reaches a batch's own calls.</summary>
internal static class Unflowed
{
    public static Task<T> Run<T>(Func<Task<T>> work) => Create(() => Task.Run(work));

    public static Task Run(Func<Task> work) => Create(() => Task.Run(work));

    public static T Create<T>(Func<T> create)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return create();
        }

        using (ExecutionContext.SuppressFlow())
        {
            return create();
        }
    }
}
