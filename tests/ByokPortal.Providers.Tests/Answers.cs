using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;

namespace ByokPortal.Providers.Tests;

/// <summary>Model-list answers the odd provider serves: large ones, long ones, encoded ones and decompression bombs.</summary>
public static class Answers
{
    /// <summary>Decompressed size of <see cref="Bomb"/>: 64 times the portal's 4 MB bound.</summary>
    public const long BombBytes = 256L * 1024 * 1024;

    /// <summary>Enough models (23 bytes each) to make a list over 4 MB.</summary>
    public const int OverMaxResponseModels = 200_000;

    private static readonly ConcurrentDictionary<string, byte[]> Bombs = new(StringComparer.Ordinal);

    /// <summary>An OpenAI-shaped list of <paramref name="count"/> distinct models.</summary>
    public static byte[] ModelList(int count)
    {
        var text = new StringBuilder("""{"object":"list","data":[""");
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("""{"id":"model-""").Append(i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).Append("\"}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    public static byte[] Encode(byte[] content, string encoding)
    {
        using var output = new MemoryStream();
        using (var compressor = Compressor(output, encoding, CompressionLevel.Optimal))
        {
            compressor.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>
    /// A valid start of a model list (<c>{"data":[{"id":"m"},{"id":"m"},…</c>) that decompresses to <see cref="BombBytes"/> from a few
    /// hundred kilobytes: a list the portal would have to hold in memory whole if it did not stop reading at its bound.
    /// </summary>
    public static byte[] Bomb(string encoding) => Bombs.GetOrAdd(encoding, static e =>
    {
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"id":"m"},""", 1024 * 1024 / 11)));
        using var output = new MemoryStream();
        using (var compressor = Compressor(output, e, CompressionLevel.Fastest))
        {
            compressor.Write("""{"data":["""u8);
            for (long written = 0; written < BombBytes; written += chunk.Length)
            {
                compressor.Write(chunk);
            }
        }

        return output.ToArray();
    });

    private static Stream Compressor(Stream output, string encoding, CompressionLevel level) => encoding switch
    {
        "gzip" => new GZipStream(output, level, leaveOpen: true),
        "br" => new BrotliStream(output, level, leaveOpen: true),
        "deflate" => new ZLibStream(output, level, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "gzip, br or deflate"),
    };
}
