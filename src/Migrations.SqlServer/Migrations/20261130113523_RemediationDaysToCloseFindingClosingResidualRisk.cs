using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
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
                type: "float",
                nullable: true);

            // Backfill the cases closed so far (DATEDIFF_BIG compares datetimeoffset values in UTC).
            migrationBuilder.Sql("""
                UPDATE [RemediationCase]
                SET [DaysToClose] = DATEDIFF_BIG(millisecond, [OpenedAt], [ClosedAt]) / 86400000.0
                WHERE [ClosedAt] IS NOT NULL;
                """);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClosedAt",
                table: "AssessmentFinding",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClosingNote",
                table: "AssessmentFinding",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ResidualRiskAcceptance",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProposedOutcome = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    ProposalReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    ResidualRisk = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    ProposedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProposedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    ProposedByClient = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    ProposedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    SignedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    SignedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SignOffReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    SignedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    DecisionId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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
