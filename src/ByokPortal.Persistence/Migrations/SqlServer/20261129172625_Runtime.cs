using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Runtime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RateLimitPerMinute",
                table: "OrganizationApiKeys",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PolicyVersions",
                columns: table => new
                {
                    EnterpriseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyVersions", x => x.EnterpriseId);
                    table.ForeignKey(
                        name: "FK_PolicyVersions_Enterprises_EnterpriseId",
                        column: x => x.EnterpriseId,
                        principalTable: "Enterprises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UsageRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Hour = table.Column<long>(type: "bigint", nullable: false),
                    EnterpriseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ApiKeyId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProviderKeyId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ModelId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Operation = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    StatusCode = table.Column<int>(type: "int", nullable: false),
                    PromptTokens = table.Column<int>(type: "int", nullable: true),
                    CompletionTokens = table.Column<int>(type: "int", nullable: true),
                    DurationMs = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageRecords", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_EnterpriseId_Hour",
                table: "UsageRecords",
                columns: new[] { "EnterpriseId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_OccurredAt",
                table: "UsageRecords",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_OrganizationId_Hour",
                table: "UsageRecords",
                columns: new[] { "OrganizationId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_ProviderKeyId_Hour",
                table: "UsageRecords",
                columns: new[] { "ProviderKeyId", "Hour" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PolicyVersions");

            migrationBuilder.DropTable(
                name: "UsageRecords");

            migrationBuilder.DropColumn(
                name: "RateLimitPerMinute",
                table: "OrganizationApiKeys");
        }
    }
}
