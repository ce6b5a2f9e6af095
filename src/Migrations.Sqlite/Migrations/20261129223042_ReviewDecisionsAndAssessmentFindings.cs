using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReviewDecisionsAndAssessmentFindings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AssessmentFinding",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentFinding", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssessmentFinding_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReviewDecision",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RiskOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RiskAcceptance = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SignalledAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewDecision", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewDecision_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentFinding_AssessmentId_State",
                table: "AssessmentFinding",
                columns: new[] { "AssessmentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentFinding_SupplierId",
                table: "AssessmentFinding",
                column: "SupplierId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewDecision_AssessmentId_DecidedAt",
                table: "ReviewDecision",
                columns: new[] { "AssessmentId", "DecidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewDecision_SignalledAt",
                table: "ReviewDecision",
                column: "SignalledAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewDecision_SupplierId",
                table: "ReviewDecision",
                column: "SupplierId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssessmentFinding");

            migrationBuilder.DropTable(
                name: "ReviewDecision");
        }
    }
}
