using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ByokPortal.Web.Authentication;

/// <summary>
/// Where the current request or circuit comes from (after forwarded headers), for audit events.
/// A circuit has no HttpContext once running, so the address is captured when the circuit opens.
/// </summary>
public sealed class ClientInfo(IHttpContextAccessor accessor)
{
    private string? _captured;

    public string? Address => _captured ?? Read();

    internal void Capture() => _captured ??= Read();

    private string? Read() => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}

/// <summary>Captures the client address while the hub's connection context is still at hand.</summary>
internal sealed class ClientInfoCircuitHandler(ClientInfo client) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        client.Capture();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        client.Capture();
        return Task.CompletedTask;
    }
}
