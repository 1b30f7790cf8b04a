using Misalignment.Eval.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the run cleanly (every finished sample is already saved); a second one kills it.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

bool interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
return await CliApp.RunAsync(args, new CliContext(Console.Out, Console.Error) { Interactive = interactive }, cancel.Token).ConfigureAwait(false);
