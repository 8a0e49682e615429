namespace ByokPortal.Gateway;

/// <summary>A type of the gateway host's assembly, for WebApplicationFactory in tests (the entry point is <see cref="GatewayProgram.Main"/>).</summary>
public sealed class GatewayHostMarker;
