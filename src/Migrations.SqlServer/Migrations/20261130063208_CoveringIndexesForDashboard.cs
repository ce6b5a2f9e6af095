using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class CoveringIndexesForDashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RemediationCase_State_ClosedAt",
                table: "RemediationCase");

            migrationBuilder.DropIndex(
                name: "IX_AssessmentFinding_State_Grade",
                table: "AssessmentFinding");

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_State_ClosedAt_Grade_OpenedAt_ImplementationDueAt_VerificationDueAt",
                table: "RemediationCase",
                columns: new[] { "State", "ClosedAt", "Grade", "OpenedAt", "ImplementationDueAt", "VerificationDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentFinding_State_Grade_Reference",
                table: "AssessmentFinding",
                columns: new[] { "State", "Grade", "Reference" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RemediationCase_State_ClosedAt_Grade_OpenedAt_ImplementationDueAt_VerificationDueAt",
                table: "RemediationCase");

            migrationBuilder.DropIndex(
                name: "IX_AssessmentFinding_State_Grade_Reference",
                table: "AssessmentFinding");

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_State_ClosedAt",
                table: "RemediationCase",
                columns: new[] { "State", "ClosedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentFinding_State_Grade",
                table: "AssessmentFinding",
                columns: new[] { "State", "Grade" });
        }
    }
}
