using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
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
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LinkedAt",
                table: "EvidenceFiles",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LinkedBy",
                table: "EvidenceFiles",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "VersionId",
                table: "EvidenceFiles",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidenceDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: true),
                    CurrentVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    LatestNumber = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DocumentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    UploadedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
                INSERT INTO [EvidenceDocuments] ([Id], [SupplierId], [Title], [Category], [ExpiresOn], [CurrentVersionId], [LatestNumber], [CreatedAt], [CreatedBy], [UpdatedAt], [Version])
                SELECT [Id], [SupplierId], SUBSTRING([FileName], 1, 200), 'Other', NULL, [Id], 1, [UploadedAt], [UploadedBy], [UploadedAt], 1 FROM [EvidenceFiles];
                """);
            migrationBuilder.Sql("""
                INSERT INTO [EvidenceVersions] ([Id], [SupplierId], [DocumentId], [Number], [FileName], [ContentType], [Length], [Sha256], [StorageKey], [UploadedBy], [UploadedAt])
                SELECT [Id], [SupplierId], [Id], 1, [FileName], [ContentType], [Length], [Sha256], [StorageKey], [UploadedBy], [UploadedAt] FROM [EvidenceFiles];
                """);
            migrationBuilder.Sql("""UPDATE [EvidenceFiles] SET [DocumentId] = [Id], [VersionId] = [Id];""");
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
