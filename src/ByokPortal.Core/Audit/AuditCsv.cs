using System.Globalization;
using System.Text;

namespace ByokPortal.Core.Audit;

/// <summary>Writes audit entries as RFC 4180 CSV, guarding spreadsheet formula injection (cells starting with = + - @ are prefixed with ').</summary>
public static class AuditCsv
{
    public static readonly string[] Header =
        ["occurred_at_utc", "actor", "action", "outcome", "target_type", "target_id", "target_name", "organization", "client_address", "details"];

    public static string HeaderLine => string.Join(',', Header);

    public static string Line(AuditLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string?[] cells =
        [
            entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            entry.ActorName,
            entry.Action,
            entry.Outcome.ToString(),
            entry.TargetType,
            entry.TargetId,
            entry.TargetName,
            entry.OrganizationSlug,
            entry.ClientAddress,
            entry.Details,
        ];
        return string.Join(',', cells.Select(Escape));
    }

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            builder.Append(c == '"' ? "\"\"" : c.ToString());
        }

        return builder.Append('"').ToString();
    }
}
