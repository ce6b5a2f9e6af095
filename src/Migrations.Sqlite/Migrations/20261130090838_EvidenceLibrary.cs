using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceLibrary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EvidenceFiles_StorageKey",
                table: "EvidenceFiles");

            migrationBuilder.AddColumn<Guid>(
                name: "DocumentId",
                table: "EvidenceFiles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LinkedAt",
                table: "EvidenceFiles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LinkedBy",
                table: "EvidenceFiles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "VersionId",
                table: "EvidenceFiles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidenceDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CurrentVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LatestNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidenceDocuments_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidenceVersions_EvidenceDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "EvidenceDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceFiles_DocumentId_AssessmentId",
                table: "EvidenceFiles",
                columns: new[] { "DocumentId", "AssessmentId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceFiles_StorageKey",
                table: "EvidenceFiles",
                column: "StorageKey");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceFiles_VersionId",
                table: "EvidenceFiles",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceDocuments_SupplierId_Title",
                table: "EvidenceDocuments",
                columns: new[] { "SupplierId", "Title" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceVersions_DocumentId_Number",
                table: "EvidenceVersions",
                columns: new[] { "DocumentId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceVersions_StorageKey",
                table: "EvidenceVersions",
                column: "StorageKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceVersions_SupplierId",
                table: "EvidenceVersions",
                column: "SupplierId");

            migrationBuilder.AddForeignKey(
                name: "FK_EvidenceFiles_EvidenceDocuments_DocumentId",
                table: "EvidenceFiles",
                column: "DocumentId",
                principalTable: "EvidenceDocuments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_EvidenceFiles_EvidenceVersions_VersionId",
                table: "EvidenceFiles",
                column: "VersionId",
                principalTable: "EvidenceVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // Files uploaded before the library become library documents with one version each (the document and the
            // version take the file row's id), so the library lists every upload so far and no bytes are stored twice.
            migrationBuilder.Sql("""
                INSERT INTO "EvidenceDocuments" ("Id", "SupplierId", "Title", "Category", "ExpiresOn", "CurrentVersionId", "LatestNumber", "CreatedAt", "CreatedBy", "UpdatedAt", "Version")
                SELECT "Id", "SupplierId", substr("FileName", 1, 200), 'Other', NULL, "Id", 1, "UploadedAt", "UploadedBy", "UploadedAt", 1 FROM "EvidenceFiles";
                """);
            migrationBuilder.Sql("""
                INSERT INTO "EvidenceVersions" ("Id", "SupplierId", "DocumentId", "Number", "FileName", "ContentType", "Length", "Sha256", "StorageKey", "UploadedBy", "UploadedAt")
                SELECT "Id", "SupplierId", "Id", 1, "FileName", "ContentType", "Length", "Sha256", "StorageKey", "UploadedBy", "UploadedAt" FROM "EvidenceFiles";
                """);
            migrationBuilder.Sql("""UPDATE "EvidenceFiles" SET "DocumentId" = "Id", "VersionId" = "Id";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_EvidenceFiles_EvidenceDocuments_DocumentId",
                table: "EvidenceFiles");

            migrationBuilder.DropForeignKey(
                name: "FK_EvidenceFiles_EvidenceVersions_VersionId",
                table: "EvidenceFiles");

            migrationBuilder.DropTable(
                name: "EvidenceVersions");

            migrationBuilder.DropTable(
                name: "EvidenceDocuments");

            migrationBuilder.DropIndex(
                name: "IX_EvidenceFiles_DocumentId_AssessmentId",
                table: "EvidenceFiles");

            migrationBuilder.DropIndex(
                name: "IX_EvidenceFiles_StorageKey",
                table: "EvidenceFiles");

            migrationBuilder.DropIndex(
                name: "IX_EvidenceFiles_VersionId",
                table: "EvidenceFiles");

            migrationBuilder.DropColumn(
                name: "DocumentId",
                table: "EvidenceFiles");

            migrationBuilder.DropColumn(
                name: "LinkedAt",
                table: "EvidenceFiles");

            migrationBuilder.DropColumn(
                name: "LinkedBy",
                table: "EvidenceFiles");

            migrationBuilder.DropColumn(
                name: "VersionId",
                table: "EvidenceFiles");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceFiles_StorageKey",
                table: "EvidenceFiles",
                column: "StorageKey",
                unique: true);
        }
    }
}
