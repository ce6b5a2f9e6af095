using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SupplierDomainClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SupplierDomains",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Domain = table.Column<string>(type: "nvarchar(253)", maxLength: 253, nullable: false),
                    ProviderName = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    ClaimedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ClaimedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplierDomains", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SupplierDomains_Domain",
                table: "SupplierDomains",
                column: "Domain",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupplierDomains_SupplierId",
                table: "SupplierDomains",
                column: "SupplierId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SupplierDomains");
        }
    }
}
