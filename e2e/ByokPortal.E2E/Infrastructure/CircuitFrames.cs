using System.Collections.Concurrent;
using System.Text;
using Microsoft.Playwright;

namespace ByokPortal.E2E.Infrastructure;

/// <summary>Records what the server sends the browser over the Blazor circuit (render batches), to prove a secret is not in them.</summary>
public sealed class CircuitFrames
{
    private readonly ConcurrentQueue<byte[]> _frames = new();
    private volatile bool _recording;

    public CircuitFrames(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (_recording)
            {
                _frames.Enqueue(frame.Binary ?? Encoding.UTF8.GetBytes(frame.Text ?? ""));
            }
        };
    }

    public int Count => _frames.Count;

    public void Start() => _recording = true;

    public bool AnyContains(string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        var utf16 = Encoding.Unicode.GetBytes(secret);
        return _frames.Any(f => f.AsSpan().IndexOf(utf8) >= 0 || f.AsSpan().IndexOf(utf16) >= 0);
    }
}
