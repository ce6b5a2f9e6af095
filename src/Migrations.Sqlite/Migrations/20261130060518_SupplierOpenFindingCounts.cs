using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SupplierOpenFindingCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SupplierOpenFindings",
                columns: table => new
                {
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Critical = table.Column<int>(type: "INTEGER", nullable: false),
                    Major = table.Column<int>(type: "INTEGER", nullable: false),
                    Minor = table.Column<int>(type: "INTEGER", nullable: false),
                    Improvements = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplierOpenFindings", x => x.SupplierId);
                    table.ForeignKey(
                        name: "FK_SupplierOpenFindings_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Suppliers that had findings before this migration get their counts now (the same rules as
            // Core/Status/OpenFindingsCounter.cs, which keeps them from here on). Plain SQL for both providers.
            migrationBuilder.Sql(@"
INSERT INTO SupplierOpenFindings (SupplierId, Critical, Major, Minor, Improvements)
SELECT s.Id,
    (SELECT COUNT(*) FROM Findings f WHERE f.SupplierId = s.Id AND f.State <> 'Closed' AND f.Grade = 'Critical'),
    (SELECT COUNT(*) FROM Findings f WHERE f.SupplierId = s.Id AND f.State <> 'Closed' AND f.Grade = 'Major')
        + (SELECT COUNT(*) FROM AssessmentFinding a WHERE a.SupplierId = s.Id AND a.State = 'Open' AND a.Grade = 'MajorNonconformity'),
    (SELECT COUNT(*) FROM Findings f WHERE f.SupplierId = s.Id AND f.State <> 'Closed' AND f.Grade = 'Minor')
        + (SELECT COUNT(*) FROM AssessmentFinding a WHERE a.SupplierId = s.Id AND a.State = 'Open' AND a.Grade = 'MinorNonconformity'),
    (SELECT COUNT(*) FROM AssessmentFinding a WHERE a.SupplierId = s.Id AND a.State = 'Open' AND a.Grade = 'OpportunityForImprovement')
FROM Suppliers s;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SupplierOpenFindings");
        }
    }
}
