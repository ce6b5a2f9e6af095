using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SecondPartyAudits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SupplierAudits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Type = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    Objectives = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    ScopeSites = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ScopeProcesses = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ScopeModes = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    CriteriaClauses = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OwnRequirements = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    LeadAuditorId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    VisitStart = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    VisitEnd = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    VisitConfirmedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    VisitConfirmedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    FindingsReleasedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplierAudits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupplierAudits_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplierAudits_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupplierBlackout",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplierBlackout", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupplierBlackout_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AuditFinding",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AuditId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Reference = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Grade = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    Evidence = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Site = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ReleasedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AssessmentFindingId = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditFinding", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditFinding_AssessmentFinding_AssessmentFindingId",
                        column: x => x.AssessmentFindingId,
                        principalTable: "AssessmentFinding",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AuditFinding_SupplierAudits_AuditId",
                        column: x => x.AuditId,
                        principalTable: "SupplierAudits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AuditSlot",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AuditId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ProposedBySupplier = table.Column<bool>(type: "bit", nullable: false),
                    ProposedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProposedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    DecidedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSlot", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditSlot_SupplierAudits_AuditId",
                        column: x => x.AuditId,
                        principalTable: "SupplierAudits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AuditStep",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AuditId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    Records = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CompletedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditStep", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditStep_SupplierAudits_AuditId",
                        column: x => x.AuditId,
                        principalTable: "SupplierAudits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AuditTeamMember",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AuditId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    IsLead = table.Column<bool>(type: "bit", nullable: false),
                    Declaration = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    DeclarationNote = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    DeclaredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditTeamMember", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditTeamMember_SupplierAudits_AuditId",
                        column: x => x.AuditId,
                        principalTable: "SupplierAudits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditFinding_AssessmentFindingId",
                table: "AuditFinding",
                column: "AssessmentFindingId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditFinding_AuditId_Grade",
                table: "AuditFinding",
                columns: new[] { "AuditId", "Grade" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditFinding_SupplierId",
                table: "AuditFinding",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditSlot_AuditId_State",
                table: "AuditSlot",
                columns: new[] { "AuditId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditSlot_SupplierId",
                table: "AuditSlot",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditStep_AuditId_Number",
                table: "AuditStep",
                columns: new[] { "AuditId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditStep_SupplierId",
                table: "AuditStep",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTeamMember_AuditId_UserId",
                table: "AuditTeamMember",
                columns: new[] { "AuditId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditTeamMember_SupplierId",
                table: "AuditTeamMember",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTeamMember_UserId_Declaration",
                table: "AuditTeamMember",
                columns: new[] { "UserId", "Declaration" });

            migrationBuilder.CreateIndex(
                name: "IX_SupplierAudits_AssessmentId",
                table: "SupplierAudits",
                column: "AssessmentId");

            migrationBuilder.CreateIndex(
                name: "IX_SupplierAudits_SupplierId_State",
                table: "SupplierAudits",
                columns: new[] { "SupplierId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_SupplierAudits_VisitStart",
                table: "SupplierAudits",
                column: "VisitStart");

            migrationBuilder.CreateIndex(
                name: "IX_SupplierBlackout_SupplierId_From",
                table: "SupplierBlackout",
                columns: new[] { "SupplierId", "From" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditFinding");

            migrationBuilder.DropTable(
                name: "AuditSlot");

            migrationBuilder.DropTable(
                name: "AuditStep");

            migrationBuilder.DropTable(
                name: "AuditTeamMember");

            migrationBuilder.DropTable(
                name: "SupplierBlackout");

            migrationBuilder.DropTable(
                name: "SupplierAudits");
        }
    }
}
