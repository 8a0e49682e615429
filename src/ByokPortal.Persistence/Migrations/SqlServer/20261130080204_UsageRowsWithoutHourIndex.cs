using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UsageRowsWithoutHourIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_Hour",
                table: "UsageRecords");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_Hour",
                table: "UsageRecords",
                column: "Hour");
        }
    }
}
