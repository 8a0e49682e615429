using System.IO.Compression;

namespace ByokPortal.Providers.Outbound;

/// <summary>
/// Reads a provider's answer within a size bound. Handlers made by <see cref="OutboundGuard.CreateHandler"/> do not decompress, so
/// this decodes <c>Content-Encoding: gzip</c>, <c>br</c> and <c>deflate</c> itself, bounding both the bytes on the wire and the
/// decoded bytes: a small compressed answer that expands to gigabytes (a "gzip bomb") stops at the bound.
/// </summary>
public static class BoundedContent
{
    /// <summary>The answer's body, decoded, that throws <see cref="ResponseTooLargeException"/> once more than <paramref name="maxBytes"/> are read.</summary>
    /// <exception cref="ResponseTooLargeException">The announced Content-Length is already over the bound.</exception>
    /// <exception cref="InvalidDataException">The answer uses a content encoding the portal does not decode.</exception>
    public static async Task<Stream> OpenAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes);
        }

        var encodings = content.Headers.ContentEncoding.Where(e => !string.Equals(e, "identity", StringComparison.OrdinalIgnoreCase)).ToList();
        if (encodings.Count > 1)
        {
            throw new InvalidDataException("The answer is encoded more than once.");
        }

        var wire = new BoundedReadStream(await content.ReadAsStreamAsync(cancellationToken), maxBytes);
        return encodings.Count == 0 ? wire : new BoundedReadStream(Decode(wire, encodings[0]), maxBytes);
    }

    private static Stream Decode(Stream stream, string encoding) => encoding.ToLowerInvariant() switch
    {
        "gzip" or "x-gzip" => new GZipStream(stream, CompressionMode.Decompress),
        "br" => new BrotliStream(stream, CompressionMode.Decompress),
        "deflate" => new ZLibStream(stream, CompressionMode.Decompress),
        _ => throw new InvalidDataException("The answer uses a content encoding the portal does not decode."),
    };

    /// <summary>"4 MB", "512 KB", "100 bytes": a bound in a message.</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KB",
        _ => $"{bytes} bytes",
    };

    /// <summary>A read-only stream that counts what it passes on and throws when the count goes over the bound.</summary>
    private sealed class BoundedReadStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new ResponseTooLargeException(maxBytes) : read;
        }
    }
}

/// <summary>An answer was larger than the bound its reader was given (<see cref="OutboundOptions.MaxResponseBytes"/>).</summary>
public sealed class ResponseTooLargeException : IOException
{
    public ResponseTooLargeException()
        : this(0)
    {
    }

    public ResponseTooLargeException(long maxBytes)
        : base($"The answer is larger than {BoundedContent.Describe(maxBytes)}.")
    {
        MaxBytes = maxBytes;
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long MaxBytes { get; }
}
