using ByokPortal.Core.Common;

namespace ByokPortal.Core.Enterprises;

public sealed class Enterprise : IVersioned
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>Enterprise policy "Allow organizations to add their own API keys" (on by default).</summary>
    public bool AllowOrganizationKeys { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();
}
