namespace ByokPortal.Core.Common;

/// <summary>
/// Who is acting, as the web layer knows them: the person's ID from the sign-in cookie and where the request came from.
/// It carries no roles on purpose: every use case re-reads roles from the database at the moment it runs.
/// </summary>
public sealed record Actor(Guid PersonId, string Email, string? ClientAddress);
