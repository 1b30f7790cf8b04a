
namespace Misalignment.Eval.IntegrationTests;

public sealed class KillAndResumeTests : IDisposable
{
    private readonly Temp _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_KilledAtARandomPointThenResumed_HasEveryKeyExactlyOnce()
    {
        await using var server = await FakeOpenAiServer.StartAsync(latency: TimeSpan.FromMilliseconds(15));
        string output = Path.Combine(_temp.Path, "run");
        string store = Path.Combine(output, ResultStore.FileName);
        string[] args =
        [
            "run", "--model", $"openai-compatible:{server.BaseUrl}#model-a", "--model", $"openai-compatible:{server.BaseUrl}#model-b",
            "--scenarios", "blackmail,murder", "--goal-types", "explicit,none", "--goal-values", "america,global", "--urgencies", "replacement,none",
            "--samples", "4", "--concurrency", "2", "--out", output, "--retry-delay", "0.01",
        ];
        const int Planned = 2 * 2 * 3 * 2 * 4;
        int killAfter = Random.Shared.Next(5, 60);

        Directory.CreateDirectory(output);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(output, ResultStore.FileName) { NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.FileName };
        watcher.Changed += (_, _) =>
        {
            if (Lines(store) >= killAfter + 1)
            {
                reached.TrySetResult();
            }
        };
        watcher.EnableRaisingEvents = true;
        using (var child = CliProcess.Start(args))
        {
            await Task.WhenAny(reached.Task, child.WaitForExitAsync());
            child.HasExited.Should().BeFalse("the run must still be going when it is killed");
            child.Kill();
            await child.WaitForExitAsync();
        }

        int before = ResultReader.Inspect(store).Ok;
        before.Should().BeLessThan(Planned);
        using (var resumed = CliProcess.Start([.. args, "--resume"]))
        {
            await resumed.WaitForExitAsync();
            resumed.ExitCode.Should().Be(0);
        }

        var samples = ResultReader.ReadSamples(store).ToList();
        samples.Should().HaveCount(Planned).And.OnlyHaveUniqueItems(s => s.Key);
        samples.Should().OnlyContain(s => s.Status == SampleStatus.Ok);
        ResultReader.Inspect(store).TornLine.Should().BeNull();
    }

    private static int Lines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        int lines = 0;
        while (reader.ReadLine() is not null)
        {
            lines++;
        }

        return lines;
    }
}
