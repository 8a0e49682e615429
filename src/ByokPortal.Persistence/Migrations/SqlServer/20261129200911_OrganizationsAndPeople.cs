using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ByokPortal.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OrganizationsAndPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ScimExternalId",
                table: "People",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ArchivedAt",
                table: "Organizations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GroupRole",
                table: "OrganizationMemberships",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HandRole",
                table: "OrganizationMemberships",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GroupRole",
                table: "EnterpriseMemberships",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HandRole",
                table: "EnterpriseMemberships",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Provisioned",
                table: "EnterpriseMemberships",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DirectoryGroups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EnterpriseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DisplayName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    ExternalId = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DirectoryGroups_Enterprises_EnterpriseId",
                        column: x => x.EnterpriseId,
                        principalTable: "Enterprises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GroupMappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EnterpriseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GroupId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Role = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GroupMappings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GroupMappings_Enterprises_EnterpriseId",
                        column: x => x.EnterpriseId,
                        principalTable: "Enterprises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GroupMappings_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScimTokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EnterpriseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    SecretHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CreatedById = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScimTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScimTokens_Enterprises_EnterpriseId",
                        column: x => x.EnterpriseId,
                        principalTable: "Enterprises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ScimTokens_People_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SignInGroups",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GroupId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInGroups", x => new { x.PersonId, x.GroupId });
                    table.ForeignKey(
                        name: "FK_SignInGroups_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DirectoryGroupMembers",
                columns: table => new
                {
                    GroupId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PersonId = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryGroupMembers", x => new { x.GroupId, x.PersonId });
                    table.ForeignKey(
                        name: "FK_DirectoryGroupMembers_DirectoryGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "DirectoryGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DirectoryGroupMembers_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryGroupMembers_PersonId",
                table: "DirectoryGroupMembers",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryGroups_EnterpriseId_DisplayName",
                table: "DirectoryGroups",
                columns: new[] { "EnterpriseId", "DisplayName" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryGroups_EnterpriseId_ExternalId",
                table: "DirectoryGroups",
                columns: new[] { "EnterpriseId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_GroupMappings_EnterpriseId_GroupId",
                table: "GroupMappings",
                columns: new[] { "EnterpriseId", "GroupId" });

            migrationBuilder.CreateIndex(
                name: "IX_GroupMappings_OrganizationId",
                table: "GroupMappings",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_ScimTokens_CreatedById",
                table: "ScimTokens",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_ScimTokens_EnterpriseId",
                table: "ScimTokens",
                column: "EnterpriseId");

            migrationBuilder.CreateIndex(
                name: "IX_ScimTokens_SecretHash",
                table: "ScimTokens",
                column: "SecretHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SignInGroups_GroupId",
                table: "SignInGroups",
                column: "GroupId");

            // Roles given before their source was tracked were given by hand.
            migrationBuilder.Sql("UPDATE EnterpriseMemberships SET HandRole = Role WHERE HandRole IS NULL AND GroupRole IS NULL;");
            migrationBuilder.Sql("UPDATE OrganizationMemberships SET HandRole = Role WHERE HandRole IS NULL AND GroupRole IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DirectoryGroupMembers");

            migrationBuilder.DropTable(
                name: "GroupMappings");

            migrationBuilder.DropTable(
                name: "ScimTokens");

            migrationBuilder.DropTable(
                name: "SignInGroups");

            migrationBuilder.DropTable(
                name: "DirectoryGroups");

            migrationBuilder.DropColumn(
                name: "ScimExternalId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "GroupRole",
                table: "OrganizationMemberships");

            migrationBuilder.DropColumn(
                name: "HandRole",
                table: "OrganizationMemberships");

            migrationBuilder.DropColumn(
                name: "GroupRole",
                table: "EnterpriseMemberships");

            migrationBuilder.DropColumn(
                name: "HandRole",
                table: "EnterpriseMemberships");

            migrationBuilder.DropColumn(
                name: "Provisioned",
                table: "EnterpriseMemberships");
        }
    }
}
