namespace ByokPortal.Core.People;

public sealed record PersonSaved(Guid PersonId, string Email, IReadOnlyList<string> Changes);
