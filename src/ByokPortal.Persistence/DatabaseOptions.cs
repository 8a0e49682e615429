namespace ByokPortal.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>"Portal:Database": which database, and whether to apply migrations at start. The connection string is <c>ConnectionStrings:Portal</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Portal:Database";
    public const string ConnectionStringName = "Portal";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the portal starts (EF Core takes a migration lock, so several instances may start at once).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// SQLite: how long a command waits for another connection's lock before it fails ("database is locked"), so a save during a
    /// long write elsewhere fails in bounded time with a clear message instead of holding the page. Whole seconds (at least one).
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
