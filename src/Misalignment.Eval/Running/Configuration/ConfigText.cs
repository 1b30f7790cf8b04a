using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Misalignment.Eval.Running;

/// <summary>
/// Decodes a configuration file's bytes strictly: UTF-8 (a byte-order mark is allowed), or UTF-16 with its
/// byte-order mark. Bytes that are not valid UTF-8 are an error naming the line, never replaced with U+FFFD.
/// </summary>
internal static class ConfigText
{
    public static string Decode(byte[] bytes, string file)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        else if (span.Length >= 2 && ((span[0] == 0xFF && span[1] == 0xFE) || (span[0] == 0xFE && span[1] == 0xFF)))
        {
            return DecodeUtf16(bytes, file);
        }

        char[] chars = ArrayPool<char>.Shared.Rent(span.Length);
        try
        {
            var status = Utf8.ToUtf16(span, chars, out int read, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw NotUtf8(span, read, file);
            }

            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static ConfigurationException NotUtf8(ReadOnlySpan<byte> bytes, int index, string file)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        int column = Encoding.UTF8.GetCharCount(bytes[lineStart..index]) + 1;
        return new ConfigurationException(file, line, string.Empty, $"the file is not valid UTF-8 (byte 0x{bytes[index]:X2} at column {column}); save it as UTF-8.");
    }

    private static string DecodeUtf16(byte[] bytes, string file)
    {
        var encoding = new UnicodeEncoding(bigEndian: bytes[0] == 0xFE, byteOrderMark: true, throwOnInvalidBytes: true);
        try
        {
            return encoding.GetString(bytes, 2, bytes.Length - 2);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ConfigurationException(file, 0, string.Empty, "the file is not valid UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8.", ex);
        }
    }
}
