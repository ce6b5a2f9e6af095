using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DashboardCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Suppliers_Tier_RiskRating",
                table: "Suppliers",
                columns: new[] { "Tier", "RiskRating" });

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_IssuedAt_SubmittedAt_DueDate",
                table: "Assessments",
                columns: new[] { "IssuedAt", "SubmittedAt", "DueDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Suppliers_Tier_RiskRating",
                table: "Suppliers");

            migrationBuilder.DropIndex(
                name: "IX_Assessments_IssuedAt_SubmittedAt_DueDate",
                table: "Assessments");
        }
    }
}
