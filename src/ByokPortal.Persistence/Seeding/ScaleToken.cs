namespace ByokPortal.Persistence.Seeding;

/// <summary>An issued API key the load script may call with, and a model it may use (an enterprise model allowed for all organizations).</summary>
public sealed record ScaleToken(string Token, string Model, string Organization);
