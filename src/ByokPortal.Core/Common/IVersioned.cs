namespace ByokPortal.Core.Common;

/// <summary>
/// An entity owners edit. <see cref="Version"/> is an optimistic concurrency token renewed on every save, so the second of two
/// owners saving the same thing gets a conflict instead of silently overwriting the first.
/// </summary>
public interface IVersioned
{
    Guid Version { get; set; }
}
