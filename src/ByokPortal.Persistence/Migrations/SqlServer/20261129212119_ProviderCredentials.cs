using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ProviderCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "MaskedHint",
                table: "ProviderKeys",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(16)",
                oldMaxLength: 16);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PreviousSecretRetiresAt",
                table: "ProviderKeys",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousSecretVersion",
                table: "ProviderKeys",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RecheckRequestedAt",
                table: "ProviderKeys",
                type: "datetimeoffset",
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

            migrationBuilder.AlterColumn<string>(
                name: "MaskedHint",
                table: "ProviderKeys",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(256)",
                oldMaxLength: 256);
        }
    }
}
