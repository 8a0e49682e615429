using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageIndexesForAppends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_EnterpriseId_Hour",
                table: "UsageRecords");

            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_OccurredAt",
                table: "UsageRecords");

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_Hour",
                table: "UsageRecords",
                column: "Hour");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_Hour",
                table: "UsageRecords");

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_EnterpriseId_Hour",
                table: "UsageRecords",
                columns: new[] { "EnterpriseId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_OccurredAt",
                table: "UsageRecords",
                column: "OccurredAt");
        }
    }
}
