using System.Text;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests;

/// <summary>Inputs and checks shared by the tests. Secrets are compared with booleans only, so a failing test never prints one.</summary>
public static class TestData
{
    /// <summary>A fresh credential nobody else uses (40 characters), so a search for it finds only what this test wrote.</summary>
    public static string NewCredential() => "sk-test-" + Guid.NewGuid().ToString("N");

    public static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    public static ProviderKeyInput Input(ProviderKind provider, string name, string? credential, string? baseUrl, params string[] models)
    {
        return new ProviderKeyInput { Provider = provider, Name = name, Credential = credential, BaseUrl = baseUrl, ModelIds = models };
    }

    /// <summary>A model listing as the list of model IDs it holds (or its error).</summary>
    public static Result<IReadOnlyList<string>> Models(this Result<ModelListing> listing) =>
        listing.IsSuccess ? Result.Success(listing.Value.Models) : listing.Error!;

    public static string Masked(string credential) => "••••" + credential[^4..];

    /// <summary>Every field of every audit event, as one text to search.</summary>
    public static async Task<string> AllAuditTextAsync(IPortalDbContext db, CancellationToken cancellationToken)
    {
        var events = await db.AuditEvents.AsNoTracking().ToListAsync(cancellationToken);
        return string.Join('\n', events.Select(e => string.Join('|', e.Action, e.ActorName, e.TargetType, e.TargetId, e.TargetName, e.ClientAddress, e.Details)));
    }

    /// <summary>Every text column of every provider key row.</summary>
    public static async Task<string> AllKeyRowsTextAsync(IPortalDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ProviderKeys.AsNoTracking().ToListAsync(cancellationToken);
        return string.Join('\n', keys.Select(k => string.Join('|', k.Name, k.NormalizedName, k.Scope, k.BaseUrl, k.ApiVersion, k.SettingsJson,
            k.SecretName, k.SecretVersion, k.MaskedHint, k.LastTestMessage)));
    }

    /// <summary>Whether the SQLite database files (main file, write-ahead log, shared memory) hold <paramref name="secret"/> in UTF-8 or UTF-16.</summary>
    public static bool DatabaseFilesContain(string dataDirectory, string secret)
    {
        foreach (var file in Directory.GetFiles(dataDirectory, "portal.db*"))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }
            catch (FileNotFoundException)
            {
                // SQLite removes the shared-memory and write-ahead files when its last connection closes: gone is empty.
                continue;
            }

            if (bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every value of every row of a table as the database holds it (read with plain SQL, not through the entity), one list per row.
    /// Blobs are given both as UTF-8 text and as hex.
    /// </summary>
    public static async Task<List<List<string>>> RawRowsAsync(IPortalDbContext db, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<List<string>>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new List<string>();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    if (value is byte[] bytes)
                    {
                        row.Add(Encoding.UTF8.GetString(bytes));
                        row.Add(Convert.ToHexString(bytes));
                    }
                    else
                    {
                        row.Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    }
                }

                rows.Add(row);
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task<(int Keys, int Models, int Grants, int AuditEvents)> CountsAsync(IPortalDbContext db, CancellationToken cancellationToken) =>
        (await db.ProviderKeys.CountAsync(cancellationToken), await db.CustomModels.CountAsync(cancellationToken),
         await db.ModelAccessGrants.CountAsync(cancellationToken), await db.AuditEvents.CountAsync(cancellationToken));

    public static string[] MessagesFor(Error? error, string field) =>
        error is ValidationError validation && validation.Failures.TryGetValue(field, out var messages) ? messages : [];

    public static async Task<List<AuditEvent>> AuditEventsForAsync(IPortalDbContext db, string targetId, CancellationToken cancellationToken) =>
        await db.AuditEvents.AsNoTracking().Where(e => e.TargetId == targetId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
}
