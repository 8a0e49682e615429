using Azure;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using ByokPortal.Web.Faults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Web.Tests.Faults;

/// <summary>
/// Faults become the person's words in one place. The SQLite failures are real ones (a locked file, a read-only connection); the
/// others are the exceptions the stores and the file system throw, built here because a read-only folder cannot be made as root.
/// </summary>
public sealed class FaultMessagesTests : IDisposable
{
    private readonly TempDirectory _folder = new("byokportal-faults");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Classify_SqliteFileLockedByAnotherConnection_IsDatabaseBusyEvenWrappedByEfCore(bool inTransaction)
    {
        // EF Core's SaveChanges fails on BEGIN (its transaction); a lone statement fails on the statement.
        var busy = await LockedWriteFailureAsync(inTransaction);

        Assert.Equal(FaultKind.DatabaseBusy, FaultMessages.Classify(busy));
        Assert.Equal(FaultKind.DatabaseBusy, FaultMessages.Classify(new DbUpdateException("An error occurred while saving the entity changes.", busy)));
        Assert.Equal("The database is busy; nothing was saved. Try again.", FaultMessages.For(FaultKind.DatabaseBusy, ActionKind.Save, "x"));
    }

    [Fact]
    public async Task Classify_SqliteFileOpenedReadOnly_IsDataDirectoryReadOnly()
    {
        var file = Path.Combine(_folder.Path, "readonly.db");
        await using (var create = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await create.OpenAsync(TestContext.Current.CancellationToken);
            await Execute(create, "CREATE TABLE t (x INTEGER);");
        }

        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var readOnly = await Assert.ThrowsAsync<SqliteException>(() => Execute(connection, "INSERT INTO t VALUES (1);"));

        Assert.Equal(FaultKind.DataDirectoryReadOnly, FaultMessages.Classify(readOnly));
        Assert.StartsWith("The data directory is read-only; nothing was saved.", FaultMessages.For(FaultKind.DataDirectoryReadOnly, ActionKind.Save, "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SecretStoreFailures_SecretStoreUnlessTheLocalFolderRefusesWrites()
    {
        Assert.Equal(FaultKind.SecretStoreUnavailable, FaultMessages.Classify(
            new SecretStoreUnavailableException("Azure Key Vault cannot be used.", new RequestFailedException(503, "Service Unavailable"))));
        Assert.Equal(FaultKind.DataDirectoryReadOnly, FaultMessages.Classify(
            new SecretStoreUnavailableException("The local secret store cannot be used.", new UnauthorizedAccessException("Access to the path is denied."))));
        Assert.Equal("The secret store is not available; nothing was saved. Try again.", FaultMessages.For(FaultKind.SecretStoreUnavailable, ActionKind.Save, "x"));
    }

    [Fact]
    public void For_UnexpectedFault_QuotesTheErrorIdButNeverTheExceptionsOwnWords()
    {
        var fault = new InvalidOperationException("Server=secret-host;Password=hunter2");

        var kind = FaultMessages.Classify(fault);
        var message = FaultMessages.For(kind, ActionKind.Save, "0123456789ab");

        Assert.Equal(FaultKind.Unexpected, kind);
        Assert.Contains("nothing was saved", message, StringComparison.Ordinal);
        Assert.Contains("0123456789ab", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ActionKind.Save, "The database is busy; nothing was saved. Try again.")]
    [InlineData(ActionKind.Load, "The database is busy; it could not be loaded. Try again.")]
    [InlineData(ActionKind.Check, "The database is busy. Try again.")]
    public void For_WhatThePersonWasDoing_DecidesHowTheMessageEnds(ActionKind action, string expected) =>
        Assert.Equal(expected, FaultMessages.For(FaultKind.DatabaseBusy, action, "x"));

    private async Task<SqliteException> LockedWriteFailureAsync(bool inTransaction)
    {
        var file = Path.Combine(_folder.Path, $"locked-{inTransaction}.db");
        await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await Execute(holder, "CREATE TABLE t (x INTEGER);");
        await Execute(holder, "BEGIN EXCLUSIVE;");
        await using var writer = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=1");
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        return inTransaction
            ? await Assert.ThrowsAsync<SqliteException>(async () => await writer.BeginTransactionAsync(TestContext.Current.CancellationToken))
            : await Assert.ThrowsAsync<SqliteException>(() => Execute(writer, "INSERT INTO t VALUES (1);"));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
