using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageHourlyTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_OrganizationId_Hour",
                table: "UsageRecords");

            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_ProviderKeyId_Hour",
                table: "UsageRecords");

            migrationBuilder.CreateTable(
                name: "UsageHours",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    EnterpriseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApiKeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderKeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false),
                    Errors = table.Column<long>(type: "INTEGER", nullable: false),
                    PromptTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletionTokens = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageHours", x => x.Id);
                });

            // The usage recorded so far, summed into its hours (before the indexes: one sorted pass).
            migrationBuilder.Sql("INSERT INTO \"UsageHours\" (\"Hour\", \"EnterpriseId\", \"OrganizationId\", \"ApiKeyId\", \"ProviderKeyId\", \"ModelId\", \"Requests\", \"Errors\", \"PromptTokens\", \"CompletionTokens\") SELECT \"Hour\", \"EnterpriseId\", \"OrganizationId\", \"ApiKeyId\", COALESCE(\"ProviderKeyId\", '00000000-0000-0000-0000-000000000000'), COALESCE(\"ModelId\", ''), COUNT(*), SUM(CASE WHEN \"StatusCode\" >= 400 THEN 1 ELSE 0 END), COALESCE(SUM(\"PromptTokens\"), 0), COALESCE(SUM(\"CompletionTokens\"), 0) FROM \"UsageRecords\" GROUP BY \"Hour\", \"EnterpriseId\", \"OrganizationId\", \"ApiKeyId\", COALESCE(\"ProviderKeyId\", '00000000-0000-0000-0000-000000000000'), COALESCE(\"ModelId\", '');");

            migrationBuilder.CreateIndex(
                name: "IX_UsageHours_Hour_EnterpriseId_OrganizationId_ApiKeyId_ProviderKeyId_ModelId",
                table: "UsageHours",
                columns: new[] { "Hour", "EnterpriseId", "OrganizationId", "ApiKeyId", "ProviderKeyId", "ModelId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UsageHours_OrganizationId_Hour",
                table: "UsageHours",
                columns: new[] { "OrganizationId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageHours_ProviderKeyId_Hour",
                table: "UsageHours",
                columns: new[] { "ProviderKeyId", "Hour" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageHours");

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_OrganizationId_Hour",
                table: "UsageRecords",
                columns: new[] { "OrganizationId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_ProviderKeyId_Hour",
                table: "UsageRecords",
                columns: new[] { "ProviderKeyId", "Hour" });
        }
    }
}
