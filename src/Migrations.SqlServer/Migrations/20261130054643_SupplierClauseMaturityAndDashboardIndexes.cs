using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
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
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Clause = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    MaturityLevel = table.Column<int>(type: "int", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
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
                INSERT INTO [SupplierClauseMaturities] ([SupplierId], [Clause], [MaturityLevel], [AssessmentId])
                SELECT a.[SupplierId], c.[key], c.[maturityLevel], a.[Id]
                FROM [Assessments] AS a
                CROSS APPLY OPENJSON(a.[ScoreResultJson], '$.clauses') WITH ([key] nvarchar(16) '$.key', [maturityLevel] int '$.maturityLevel') AS c
                WHERE a.[Id] = (SELECT TOP 1 b.[Id] FROM [Assessments] AS b
                                WHERE b.[SupplierId] = a.[SupplierId] AND b.[ScoredAt] IS NOT NULL AND b.[ScoreResultJson] IS NOT NULL
                                ORDER BY b.[ScoredAt] DESC)
                  AND c.[key] IN (N'4', N'5', N'6', N'7', N'8', N'9', N'10')
                  AND c.[maturityLevel] IS NOT NULL;
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
