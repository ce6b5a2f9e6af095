using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PartnerCredentialsIncidentsAccessLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Credentials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 1, nullable: true),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ValidFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    ValidUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    EvidenceReference = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    VerificationState = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VerificationSource = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    VerificationNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    SubmittedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Credentials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Credentials_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Findings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ShipmentReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Findings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Findings_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyKeys",
                columns: table => new
                {
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    ResourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyKeys", x => new { x.ClientId, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "PartnerAccesses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    AccessedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerAccesses", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_SupplierId_Type",
                table: "Credentials",
                columns: new[] { "SupplierId", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_VerificationState",
                table: "Credentials",
                column: "VerificationState");

            migrationBuilder.CreateIndex(
                name: "IX_Findings_State_Grade",
                table: "Findings",
                columns: new[] { "State", "Grade" });

            migrationBuilder.CreateIndex(
                name: "IX_Findings_SupplierId_State",
                table: "Findings",
                columns: new[] { "SupplierId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyKeys_CreatedAt",
                table: "IdempotencyKeys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PartnerAccesses_SupplierId_AccessedAt",
                table: "PartnerAccesses",
                columns: new[] { "SupplierId", "AccessedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Credentials");

            migrationBuilder.DropTable(
                name: "Findings");

            migrationBuilder.DropTable(
                name: "IdempotencyKeys");

            migrationBuilder.DropTable(
                name: "PartnerAccesses");
        }
    }
}
