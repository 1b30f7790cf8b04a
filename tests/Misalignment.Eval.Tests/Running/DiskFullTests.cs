using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>Issue 13, finding 13: when the disk fills up mid-line, the store is cut back to its last complete line.</summary>
public sealed class DiskFullTests : RunnerTestBase
{
    /// <summary>Linux's errno for "No space left on device", which .NET gives an IOException as its HResult.</summary>
    private const int Enospc = 28;

    private async Task<(RunManifest Manifest, List<SampleRecord> Samples)> SamplesAsync()
    {
        var runner = new ExperimentRunner(Catalog, TwoConditions, [new(FakeChatModel.Answering("fake:m"))], new RunOptions { SamplesPerCondition = 5 });
        string source = StorePath + ".source";
        await using (var store = ResultStore.Create(source, runner.CreateManifest("exp")))
        {
            await RunAllAsync(runner, store);
        }

        return (ResultReader.ReadManifest(source), [.. ResultReader.ReadSamples(source)]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AppendAsync_DiskFillsUpMidLine_CutsTheFileBackToItsLastCompleteLine(bool streamCannotTruncate)
    {
        var (manifest, samples) = await SamplesAsync();
        int manifestBytes = (await File.ReadAllBytesAsync(StorePath + ".source")).TakeWhile(b => b != '\n').Count() + 1;
        long budget = manifestBytes + 2_500;

        // A buffered stream over the full disk must flush before it can truncate, and that flush fails again:
        // the store then cuts the file through a handle of its own.
        Stream Open(string path, FileMode mode)
        {
            Stream disk = new DiskFullStream(new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0), budget);
            return streamCannotTruncate ? new BufferedStream(disk, 64 * 1024) : disk;
        }

        var store = ResultStore.Create(StorePath, manifest, Open);
        int written = 0;
        IOException? failure = null;
        foreach (var sample in samples)
        {
            try
            {
                await store.AppendAsync(sample);
                written++;
            }
            catch (IOException ex)
            {
                failure = ex;
                break;
            }
        }

        failure.Should().NotBeNull("the budget runs out before ten samples are written");
        byte[] afterFailure = await File.ReadAllBytesAsync(StorePath);
        afterFailure[^1].Should().Be((byte)'\n', "no partial line is left behind");
        ResultReader.Inspect(StorePath).TornLine.Should().BeNull();
        ResultReader.ReadSamples(StorePath).Should().HaveCount(written);

        var again = async () => await store.AppendAsync(samples[^1]);
        await again.Should().ThrowAsync<IOException>().WithMessage("*An earlier write to*failed; the store accepts no more records*");
        await store.DisposeAsync();
        (await File.ReadAllBytesAsync(StorePath)).Should().Equal(afterFailure, "closing the store writes nothing more");

        await using var resumed = ResultStore.Resume(StorePath, manifest, retryFailed: true, out var report);
        report.DroppedTornLine.Should().BeNull();
        report.Done.Should().Be(written);
    }

    [Fact]
    public async Task Create_DiskFullBeforeTheManifestIsWhole_LeavesNoStoreBehind()
    {
        var (manifest, _) = await SamplesAsync();

        var act = () => ResultStore.Create(StorePath, manifest, (path, mode) => new DiskFullStream(new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0), 10));

        act.Should().Throw<IOException>().Which.HResult.Should().Be(Enospc);
        File.Exists(StorePath).Should().BeFalse("a store without its manifest would block the next run");
        File.Exists(StorePath + ".lock").Should().BeFalse();
    }

    /// <summary>A file on a disk with <c>budget</c> bytes free: a write that does not fit writes what fits, then fails with ENOSPC, as write(2) does.</summary>
    private sealed class DiskFullStream(FileStream file, long budget) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => file.Length;

        public override long Position { get => file.Position; set => file.Position = value; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            long free = budget - file.Length;
            if (buffer.Length <= free)
            {
                file.Write(buffer);
                return;
            }

            file.Write(buffer[..(int)Math.Max(0, free)]);
            throw new IOException("No space left on device", Enospc);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => file.Flush();

        public override void SetLength(long value) => file.SetLength(value);

        public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
