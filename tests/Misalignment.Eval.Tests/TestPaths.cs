namespace Misalignment.Eval.Tests;

/// <summary>Where the tests' data and the repository's files are.</summary>
internal static class TestPaths
{
    public static string Data => Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string MiniPack => Path.Combine(Data, "packs", "mini");

    /// <summary>Copies the mini pack into a folder (created if needed), for a test to break.</summary>
    /// <returns>The folder.</returns>
    public static string CopyMiniPack(string target)
    {
        foreach (string file in Directory.EnumerateFiles(MiniPack, "*", SearchOption.AllDirectories))
        {
            string to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(MiniPack, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Misalignment.Eval.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The repository root (with Misalignment.Eval.sln) was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A fresh temporary folder, deleted when disposed.</summary>
    public static TempDirectory NewTempDirectory() => new();

    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "misalign-tests-" + Guid.NewGuid().ToString("N"));
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
                // A leftover temp folder is harmless.
            }
        }
    }
}
