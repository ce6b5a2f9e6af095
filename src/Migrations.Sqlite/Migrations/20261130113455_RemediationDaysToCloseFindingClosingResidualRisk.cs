using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RemediationDaysToCloseFindingClosingResidualRisk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RemediationCase_State_ClosedAt_Grade_OpenedAt_ImplementationDueAt_VerificationDueAt",
                table: "RemediationCase");

            migrationBuilder.AddColumn<double>(
                name: "DaysToClose",
                table: "RemediationCase",
                type: "REAL",
                nullable: true);

            // Backfill the cases closed so far. Instants are stored by DateTimeOffsetToBinaryConverter: bits 11 and up are
            // the clock ticks / 1,000 (units of 100 µs), the low 11 bits the offset in minutes (two's complement); the
            // UTC instant is the clock less the offset (600,000 units a minute); a day is 864,000,000 units.
            migrationBuilder.Sql("""
                UPDATE "RemediationCase"
                SET "DaysToClose" = ((("ClosedAt" >> 11) - (CASE WHEN ("ClosedAt" & 2047) >= 1024 THEN ("ClosedAt" & 2047) - 2048 ELSE ("ClosedAt" & 2047) END) * 600000)
                    - (("OpenedAt" >> 11) - (CASE WHEN ("OpenedAt" & 2047) >= 1024 THEN ("OpenedAt" & 2047) - 2048 ELSE ("OpenedAt" & 2047) END) * 600000)) / 864000000.0
                WHERE "ClosedAt" IS NOT NULL;
                """);

            migrationBuilder.AddColumn<long>(
                name: "ClosedAt",
                table: "AssessmentFinding",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClosingNote",
                table: "AssessmentFinding",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ResidualRiskAcceptance",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProposedOutcome = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    ProposalReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ResidualRisk = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ProposedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProposedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ProposedByClient = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SignedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    SignedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SignOffReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidualRiskAcceptance", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResidualRiskAcceptance_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_State_ClosedAt_Grade_DaysToClose_ImplementationDueAt_VerificationDueAt",
                table: "RemediationCase",
                columns: new[] { "State", "ClosedAt", "Grade", "DaysToClose", "ImplementationDueAt", "VerificationDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidualRiskAcceptance_AssessmentId_State",
                table: "ResidualRiskAcceptance",
                columns: new[] { "AssessmentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidualRiskAcceptance_State_ProposedAt",
                table: "ResidualRiskAcceptance",
                columns: new[] { "State", "ProposedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidualRiskAcceptance_SupplierId",
                table: "ResidualRiskAcceptance",
                column: "SupplierId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ResidualRiskAcceptance");

            migrationBuilder.DropIndex(
                name: "IX_RemediationCase_State_ClosedAt_Grade_DaysToClose_ImplementationDueAt_VerificationDueAt",
                table: "RemediationCase");

            migrationBuilder.DropColumn(
                name: "DaysToClose",
                table: "RemediationCase");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "AssessmentFinding");

            migrationBuilder.DropColumn(
                name: "ClosingNote",
                table: "AssessmentFinding");

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_State_ClosedAt_Grade_OpenedAt_ImplementationDueAt_VerificationDueAt",
                table: "RemediationCase",
                columns: new[] { "State", "ClosedAt", "Grade", "OpenedAt", "ImplementationDueAt", "VerificationDueAt" });
        }
    }
}
