using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// A gateway request's body, read once into a pooled buffer so the model can be read from it, then forwarded unchanged from the same
/// bytes. Bounded by <see cref="RuntimeOptions.MaxRequestBytes"/>. Dispose returns the buffer to the pool.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/>.</returns>
    /// <remarks>
    /// Read from the request's <see cref="System.IO.Pipelines.PipeReader"/>: a small body that came with its headers is there at once, whole,
    /// so reading it completes without waiting (a stream read would pass through Kestrel's stream wrapper twice, the second time for its end).
    /// </remarks>
    public static async ValueTask<RequestBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, request.ContentLength ?? InitialSize) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var read = result.Buffer;
                if (length + read.Length > maxBytes)
                {
                    reader.AdvanceTo(read.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }

                if (length + read.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, Math.Max(buffer.Length * 2L, length + read.Length)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                read.CopyTo(buffer.AsSpan(length));
                length += (int)read.Length;
                reader.AdvanceTo(read.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new RequestBody(buffer, length);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
