using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProviderCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PreviousSecretRetiresAt",
                table: "ProviderKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousSecretVersion",
                table: "ProviderKeys",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecheckRequestedAt",
                table: "ProviderKeys",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PreviousSecretRetiresAt",
                table: "ProviderKeys");

            migrationBuilder.DropColumn(
                name: "PreviousSecretVersion",
                table: "ProviderKeys");

            migrationBuilder.DropColumn(
                name: "RecheckRequestedAt",
                table: "ProviderKeys");
        }
    }
}
