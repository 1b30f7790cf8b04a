using System.Reflection;
using System.Text;

namespace Misalignment.Eval.Scenarios;

/// <summary>Where a scenario pack's files come from: a folder, or the library's embedded resources.</summary>
internal abstract class PackFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The pack's location, as shown to users.</summary>
    public abstract string Root { get; }

    public abstract bool Exists(string path);

    /// <summary>The file's location as shown in error messages.</summary>
    public abstract string Describe(string path);

    public string ReadText(string path)
    {
        byte[]? bytes = ReadBytes(path) ?? throw new ScenarioPackException(Describe(path), 0, "file not found.");
        try
        {
            string text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new ScenarioPackException(Describe(path), 0, "is not valid UTF-8.", ex);
        }
    }

    protected abstract byte[]? ReadBytes(string path);

    public static PackFiles FromDirectory(string directory) => new DirectoryFiles(Path.GetFullPath(directory));

    public static PackFiles Embedded(string packId) => new EmbeddedFiles(packId);

    private sealed class DirectoryFiles(string root) : PackFiles
    {
        private readonly Lazy<string> _realRoot = new(() => RealPath.Of(root));

        public override string Root => root;

        public override bool Exists(string path) => File.Exists(Full(path));

        public override string Describe(string path) => Full(path);

        protected override byte[]? ReadBytes(string path)
        {
            string full = Full(path);
            if (!File.Exists(full))
            {
                return null;
            }

            // A symbolic link inside the pack may point anywhere (/etc/passwd); only files that really are in the pack are read.
            string real;
            try
            {
                real = RealPath.Of(full);
            }
            catch (IOException ex)
            {
                throw new ScenarioPackException(full, 0, ex.Message, ex);
            }

            return RealPath.IsInside(real, _realRoot.Value)
                ? File.ReadAllBytes(real)
                : throw new ScenarioPackException(full, 0, $"resolves outside the pack folder {root} (through a symbolic link); a pack may only read its own files.");
        }

        private string Full(string path) => Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
    }

    private sealed class EmbeddedFiles(string packId) : PackFiles
    {
        internal const string Prefix = "Misalignment.Eval.Packs/";
        private static readonly Assembly Library = typeof(EmbeddedFiles).Assembly;

        public override string Root => $"embedded:{packId}";

        public override bool Exists(string path) => Library.GetManifestResourceInfo(Name(path)) is not null;

        public override string Describe(string path) => $"embedded:{packId}/{path}";

        protected override byte[]? ReadBytes(string path)
        {
            using var stream = Library.GetManifestResourceStream(Name(path));
            if (stream is null)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        private string Name(string path) => $"{Prefix}{packId}/{path}";
    }

    /// <summary>The ids of the packs embedded in the library.</summary>
    public static IEnumerable<string> EmbeddedPackIds() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Select(n => n.Replace('\\', '/'))
            .Where(n => n.StartsWith(EmbeddedFiles.Prefix, StringComparison.Ordinal) && n.EndsWith("/scenario.json", StringComparison.Ordinal))
            .Select(n => n[EmbeddedFiles.Prefix.Length..^"/scenario.json".Length])
            .Order(StringComparer.Ordinal);
}
