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
}
