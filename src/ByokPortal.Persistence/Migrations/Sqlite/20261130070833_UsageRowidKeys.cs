using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Usage rows and hourly totals keyed by SQLite's rowid, without AUTOINCREMENT: AUTOINCREMENT rewrites the sqlite_sequence row on
    /// every insert (about 2.5 µs of CPU per call recorded). Nothing refers to a usage row's or a total's Id, so a rowid used again after
    /// the newest rows were deleted is harmless. Written by hand: EF Core 10 cannot keep "rowid without AUTOINCREMENT" in its model
    /// snapshot (SqliteValueGenerationStrategy.None does not round-trip), so the model keeps its convention and only the tables change.
    /// MigrationTests.UsageTables_AreRowidTablesWithoutAutoincrement fails if a later migration rebuilds them with it again.
    /// </summary>
    public partial class UsageRowidKeys : Migration
    {
        private const string UsageRecordColumns = "\"OccurredAt\", \"Hour\", \"EnterpriseId\", \"OrganizationId\", \"ApiKeyId\", \"ProviderKeyId\", \"ModelId\", \"Operation\", \"StatusCode\", \"PromptTokens\", \"CompletionTokens\", \"DurationMs\"";

        private const string UsageRecordDefinitions = """
            "OccurredAt" INTEGER NOT NULL,
            "Hour" INTEGER NOT NULL,
            "EnterpriseId" TEXT NOT NULL,
            "OrganizationId" TEXT NOT NULL,
            "ApiKeyId" TEXT NOT NULL,
            "ProviderKeyId" TEXT NULL,
            "ModelId" TEXT NULL,
            "Operation" TEXT NOT NULL,
            "StatusCode" INTEGER NOT NULL,
            "PromptTokens" INTEGER NULL,
            "CompletionTokens" INTEGER NULL,
            "DurationMs" INTEGER NOT NULL
            """;

        private const string UsageHourColumns = "\"Hour\", \"EnterpriseId\", \"OrganizationId\", \"ApiKeyId\", \"ProviderKeyId\", \"ModelId\", \"Requests\", \"Errors\", \"PromptTokens\", \"CompletionTokens\"";

        private const string UsageHourDefinitions = """
            "Hour" INTEGER NOT NULL,
            "EnterpriseId" TEXT NOT NULL,
            "OrganizationId" TEXT NOT NULL,
            "ApiKeyId" TEXT NOT NULL,
            "ProviderKeyId" TEXT NOT NULL,
            "ModelId" TEXT NOT NULL,
            "Requests" INTEGER NOT NULL,
            "Errors" INTEGER NOT NULL,
            "PromptTokens" INTEGER NOT NULL,
            "CompletionTokens" INTEGER NOT NULL
            """;

        private static readonly string[] UsageRecordIndexes =
        [
            "CREATE INDEX \"IX_UsageRecords_Hour\" ON \"UsageRecords\" (\"Hour\");",
        ];

        private static readonly string[] UsageHourIndexes =
        [
            "CREATE UNIQUE INDEX \"IX_UsageHours_Hour_EnterpriseId_OrganizationId_ApiKeyId_ProviderKeyId_ModelId\" ON \"UsageHours\" (\"Hour\", \"EnterpriseId\", \"OrganizationId\", \"ApiKeyId\", \"ProviderKeyId\", \"ModelId\");",
            "CREATE INDEX \"IX_UsageHours_OrganizationId_Hour\" ON \"UsageHours\" (\"OrganizationId\", \"Hour\");",
            "CREATE INDEX \"IX_UsageHours_ProviderKeyId_Hour\" ON \"UsageHours\" (\"ProviderKeyId\", \"Hour\");",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "UsageRecords", UsageRecordDefinitions, UsageRecordColumns, UsageRecordIndexes, autoincrement: false);
            Rebuild(migrationBuilder, "UsageHours", UsageHourDefinitions, UsageHourColumns, UsageHourIndexes, autoincrement: false);
            migrationBuilder.Sql("DELETE FROM \"sqlite_sequence\" WHERE \"name\" IN ('UsageRecords', 'UsageHours');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "UsageRecords", UsageRecordDefinitions, UsageRecordColumns, UsageRecordIndexes, autoincrement: true);
            Rebuild(migrationBuilder, "UsageHours", UsageHourDefinitions, UsageHourColumns, UsageHourIndexes, autoincrement: true);
        }

        /// <summary>SQLite's way to change a column's definition: a new table, the rows copied with their Ids, the old one dropped.</summary>
        private static void Rebuild(MigrationBuilder migrationBuilder, string table, string definitions, string columns, string[] indexes, bool autoincrement)
        {
            var key = autoincrement ? "PRIMARY KEY AUTOINCREMENT" : "PRIMARY KEY";
            migrationBuilder.Sql($"CREATE TABLE \"ef_temp_{table}\" (\"Id\" INTEGER NOT NULL CONSTRAINT \"PK_{table}\" {key},\n{definitions});");
            migrationBuilder.Sql($"INSERT INTO \"ef_temp_{table}\" (\"Id\", {columns}) SELECT \"Id\", {columns} FROM \"{table}\";");
            migrationBuilder.Sql($"DROP TABLE \"{table}\";");
            migrationBuilder.Sql($"ALTER TABLE \"ef_temp_{table}\" RENAME TO \"{table}\";");
            foreach (var index in indexes)
            {
                migrationBuilder.Sql(index);
            }
        }
    }
}
