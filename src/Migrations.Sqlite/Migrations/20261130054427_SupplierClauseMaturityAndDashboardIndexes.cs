using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SupplierClauseMaturityAndDashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SupplierClauseMaturities",
                columns: table => new
                {
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Clause = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MaturityLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplierClauseMaturities", x => new { x.SupplierId, x.Clause });
                    table.ForeignKey(
                        name: "FK_SupplierClauseMaturities_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_State_ClosedAt",
                table: "RemediationCase",
                columns: new[] { "State", "ClosedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_SupplierId_Sequence",
                table: "AuditLog",
                columns: new[] { "SupplierId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AssessmentFinding_State_Grade",
                table: "AssessmentFinding",
                columns: new[] { "State", "Grade" });

            migrationBuilder.CreateIndex(
                name: "IX_SupplierClauseMaturities_Clause_MaturityLevel",
                table: "SupplierClauseMaturities",
                columns: new[] { "Clause", "MaturityLevel" });

            // Backfill from the score snapshots already stored: each supplier's newest scored assessment.
            migrationBuilder.Sql(
                """
                INSERT INTO "SupplierClauseMaturities" ("SupplierId", "Clause", "MaturityLevel", "AssessmentId")
                SELECT a."SupplierId", json_extract(c.value, '$.key'), json_extract(c.value, '$.maturityLevel'), a."Id"
                FROM "Assessments" AS a, json_each(a."ScoreResultJson", '$.clauses') AS c
                WHERE a."Id" = (SELECT b."Id" FROM "Assessments" AS b
                                WHERE b."SupplierId" = a."SupplierId" AND b."ScoredAt" IS NOT NULL AND b."ScoreResultJson" IS NOT NULL
                                ORDER BY b."ScoredAt" DESC LIMIT 1)
                  AND json_extract(c.value, '$.key') IN ('4', '5', '6', '7', '8', '9', '10')
                  AND json_extract(c.value, '$.maturityLevel') IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SupplierClauseMaturities");

            migrationBuilder.DropIndex(
                name: "IX_RemediationCase_State_ClosedAt",
                table: "RemediationCase");

            migrationBuilder.DropIndex(
                name: "IX_AuditLog_SupplierId_Sequence",
                table: "AuditLog");

            migrationBuilder.DropIndex(
                name: "IX_AssessmentFinding_State_Grade",
                table: "AssessmentFinding");
        }
    }
}
