namespace Misalignment.Eval.IntegrationTests;

internal sealed class Temp : IDisposable
{
    public Temp()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "misalign-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
