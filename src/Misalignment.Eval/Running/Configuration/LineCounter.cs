namespace Misalignment.Eval.Running;

/// <summary>
/// The line of a byte offset, for offsets asked in increasing order (as a reader meets its tokens): each byte is
/// looked at once, so reading a file stays linear in its size however many values it holds.
/// </summary>
internal sealed class LineCounter(ReadOnlyMemory<byte> bytes)
{
    private long _position;
    private int _line = 1;

    /// <summary>How many bytes have been looked at so far (at most the input's length while offsets only grow).</summary>
    public long BytesScanned { get; private set; }

    /// <summary>The 1-based line of <paramref name="offset"/>.</summary>
    public int LineAt(long offset)
    {
        if (offset < _position)
        {
            (_position, _line) = (0, 1);
        }

        var span = bytes.Span;
        long end = Math.Min(offset, span.Length);
        for (; _position < end; _position++)
        {
            BytesScanned++;
            if (span[(int)_position] == (byte)'\n')
            {
                _line++;
            }
        }

        return _line;
    }
}
