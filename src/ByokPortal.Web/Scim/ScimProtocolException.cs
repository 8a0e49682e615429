namespace ByokPortal.Web.Scim;

/// <summary>A request the SCIM protocol refuses before any work (RFC 7644 §3.12): its status and scimType.</summary>
public sealed class ScimProtocolException(int status, string? scimType, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string? ScimType { get; } = scimType;
}
