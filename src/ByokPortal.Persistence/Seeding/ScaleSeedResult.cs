namespace ByokPortal.Persistence.Seeding;

public sealed record ScaleSeedResult(Guid EnterpriseId, IReadOnlyList<ScaleToken> SampleTokens, TimeSpan Duration);
