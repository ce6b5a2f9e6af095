using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditEvidenceRequestsAndCapa : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Correction",
                table: "RemediationCase",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "RemediationCase",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RootCause",
                table: "RemediationCase",
                type: "TEXT",
                maxLength: 2505,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidenceRequest",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuditId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Details = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RequestedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Response = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    RespondedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RespondedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceRequest", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidenceRequest_SupplierAudits_AuditId",
                        column: x => x.AuditId,
                        principalTable: "SupplierAudits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RemediationVerification",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RemediationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Round = table.Column<int>(type: "INTEGER", nullable: false),
                    Effective = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    VerifiedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RemediationVerification", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RemediationVerification_RemediationCase_RemediationId",
                        column: x => x.RemediationId,
                        principalTable: "RemediationCase",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AuditFile",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EvidenceRequestId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RemediationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditFile", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditFile_EvidenceRequest_EvidenceRequestId",
                        column: x => x.EvidenceRequestId,
                        principalTable: "EvidenceRequest",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AuditFile_RemediationCase_RemediationId",
                        column: x => x.RemediationId,
                        principalTable: "RemediationCase",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditFile_EvidenceRequestId",
                table: "AuditFile",
                column: "EvidenceRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditFile_RemediationId",
                table: "AuditFile",
                column: "RemediationId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditFile_StorageKey",
                table: "AuditFile",
                column: "StorageKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditFile_SupplierId",
                table: "AuditFile",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceRequest_AuditId_State",
                table: "EvidenceRequest",
                columns: new[] { "AuditId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceRequest_SupplierId",
                table: "EvidenceRequest",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_RemediationVerification_RemediationId_VerifiedAt",
                table: "RemediationVerification",
                columns: new[] { "RemediationId", "VerifiedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RemediationVerification_SupplierId",
                table: "RemediationVerification",
                column: "SupplierId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditFile");

            migrationBuilder.DropTable(
                name: "RemediationVerification");

            migrationBuilder.DropTable(
                name: "EvidenceRequest");

            migrationBuilder.DropColumn(
                name: "Correction",
                table: "RemediationCase");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "RemediationCase");

            migrationBuilder.DropColumn(
                name: "RootCause",
                table: "RemediationCase");
        }
    }
}
