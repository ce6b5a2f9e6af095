using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Objectives = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ScopeSites = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ScopeProcesses = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ScopeModes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CriteriaClauses = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OwnRequirements = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LeadAuditorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    VisitStart = table.Column<long>(type: "INTEGER", nullable: true),
                    VisitEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    VisitConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VisitConfirmedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    FindingsReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuditId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Evidence = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Site = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AssessmentFindingId = table.Column<Guid>(type: "TEXT", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuditId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    End = table.Column<long>(type: "INTEGER", nullable: false),
                    ProposedBySupplier = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProposedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuditId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Records = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedBy = table.Column<Guid>(type: "TEXT", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuditId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IsLead = table.Column<bool>(type: "INTEGER", nullable: false),
                    Declaration = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DeclarationNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DeclaredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
