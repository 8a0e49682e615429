using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ActorKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "ActorEmail",
                table: "AuditEvents",
                newName: "ActorName");

            migrationBuilder.AddColumn<string>(
                name: "ActorType",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "person");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorType",
                table: "AuditEvents");

            migrationBuilder.RenameColumn(
                name: "ActorName",
                table: "AuditEvents",
                newName: "ActorEmail");
        }
    }
}
