using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QuestionBankAndTiering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Domain",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceTier1",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceTier2",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings_Aeo",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings_Ctpat",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings_Iso27001",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings_Isps",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings_Tapa",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Options",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "ShowWhenAnyOf",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShowWhenQuestion",
                table: "TemplateQuestions",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ShowWhenSupplierRoles",
                table: "TemplateQuestions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Roles",
                table: "Suppliers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ImportedAt",
                table: "QuestionnaireTemplates",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourceName",
                table: "QuestionnaireTemplates",
                type: "TEXT",
                maxLength: 260,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "QuestionnaireTemplates",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "Published");

            migrationBuilder.CreateTable(
                name: "MaterialityAssessments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ValueAtRisk = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ThreatExposure = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DisruptionConsequence = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RegulatorySensitivity = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SubstitutionDifficulty = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SpecialCargo = table.Column<int>(type: "INTEGER", nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false),
                    ProposedTier = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    PolicyVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    AssessedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AssessedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MaterialityAssessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MaterialityAssessments_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TierPolicyVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TierPolicyVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TierDecisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PreviousTier = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    MaterialityAssessmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    PolicyVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TierDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TierDecisions_MaterialityAssessments_MaterialityAssessmentId",
                        column: x => x.MaterialityAssessmentId,
                        principalTable: "MaterialityAssessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TierDecisions_Suppliers_SupplierId",
                        column: x => x.SupplierId,
                        principalTable: "Suppliers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MaterialityAssessments_SupplierId_AssessedAt",
                table: "MaterialityAssessments",
                columns: new[] { "SupplierId", "AssessedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TierDecisions_MaterialityAssessmentId",
                table: "TierDecisions",
                column: "MaterialityAssessmentId");

            migrationBuilder.CreateIndex(
                name: "IX_TierDecisions_SupplierId_DecidedAt",
                table: "TierDecisions",
                columns: new[] { "SupplierId", "DecidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TierPolicyVersions_Version",
                table: "TierPolicyVersions",
                column: "Version",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TierDecisions");

            migrationBuilder.DropTable(
                name: "TierPolicyVersions");

            migrationBuilder.DropTable(
                name: "MaterialityAssessments");

            migrationBuilder.DropColumn(
                name: "Domain",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "EvidenceTier1",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "EvidenceTier2",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Mappings_Aeo",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Mappings_Ctpat",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Mappings_Iso27001",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Mappings_Isps",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Mappings_Tapa",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Options",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "ShowWhenAnyOf",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "ShowWhenQuestion",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "ShowWhenSupplierRoles",
                table: "TemplateQuestions");

            migrationBuilder.DropColumn(
                name: "Roles",
                table: "Suppliers");

            migrationBuilder.DropColumn(
                name: "ImportedAt",
                table: "QuestionnaireTemplates");

            migrationBuilder.DropColumn(
                name: "SourceName",
                table: "QuestionnaireTemplates");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "QuestionnaireTemplates");
        }
    }
}
