using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ByokPortal.Runtime.Gateway;

/// <summary>A provider's error body as the gateway passes it back: bounded, and with the provider key scrubbed out (some providers echo it).</summary>
internal static class UpstreamErrorBody
{
    /// <summary>The provider's error body, bounded, with every occurrence of the provider key replaced.</summary>
    internal static async Task WriteScrubbedErrorAsync(
        HttpResponse answer, HttpResponseMessage response, string? credential, int maxErrorBodyBytes, CancellationTokenSource activity, TimeSpan timeout, CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxErrorBodyBytes);
        try
        {
            var length = 0;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(activity.Token);
                int read;
                while (length < maxErrorBodyBytes && (read = await body.ReadAsync(buffer.AsMemory(length, maxErrorBodyBytes - length), activity.Token)) > 0)
                {
                    length += read;
                    activity.CancelAfter(timeout);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                if (aborted.IsCancellationRequested)
                {
                    return;
                }

                // What arrived before the provider failed is still passed back (scrubbed).
            }

            // A compressed body cannot be scrubbed: it is not passed back.
            var encoded = response.Content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase));
            var scrubbed = encoded ? [] : Scrub(buffer.AsSpan(0, length), credential);
            answer.Headers.ContentEncoding = StringValues.Empty;
            answer.Headers.ContentLength = scrubbed.Length;
            await answer.Body.WriteAsync(scrubbed, aborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static byte[] Scrub(ReadOnlySpan<byte> body, string? credential)
    {
        if (string.IsNullOrEmpty(credential))
        {
            return body.ToArray();
        }

        var secret = Encoding.UTF8.GetBytes(credential);
        var redacted = "[redacted]"u8;
        using var output = new MemoryStream(body.Length);
        while (true)
        {
            var at = body.IndexOf(secret);
            if (at < 0)
            {
                output.Write(body);
                return output.ToArray();
            }

            output.Write(body[..at]);
            output.Write(redacted);
            body = body[(at + secret.Length)..];
        }
    }
}
