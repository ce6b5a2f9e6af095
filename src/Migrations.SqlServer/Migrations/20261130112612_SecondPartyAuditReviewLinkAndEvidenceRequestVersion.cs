using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SecondPartyAuditReviewLinkAndEvidenceRequestVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "OriginAssessmentId",
                table: "SupplierAudits",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReviewDecisionId",
                table: "SupplierAudits",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "EvidenceRequest",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_SupplierAudits_OriginAssessmentId",
                table: "SupplierAudits",
                column: "OriginAssessmentId",
                unique: true,
                filter: "[OriginAssessmentId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SupplierAudits_ReviewDecisionId",
                table: "SupplierAudits",
                column: "ReviewDecisionId");

            migrationBuilder.AddForeignKey(
                name: "FK_SupplierAudits_Assessments_OriginAssessmentId",
                table: "SupplierAudits",
                column: "OriginAssessmentId",
                principalTable: "Assessments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_SupplierAudits_ReviewDecision_ReviewDecisionId",
                table: "SupplierAudits",
                column: "ReviewDecisionId",
                principalTable: "ReviewDecision",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SupplierAudits_Assessments_OriginAssessmentId",
                table: "SupplierAudits");

            migrationBuilder.DropForeignKey(
                name: "FK_SupplierAudits_ReviewDecision_ReviewDecisionId",
                table: "SupplierAudits");

            migrationBuilder.DropIndex(
                name: "IX_SupplierAudits_OriginAssessmentId",
                table: "SupplierAudits");

            migrationBuilder.DropIndex(
                name: "IX_SupplierAudits_ReviewDecisionId",
                table: "SupplierAudits");

            migrationBuilder.DropColumn(
                name: "OriginAssessmentId",
                table: "SupplierAudits");

            migrationBuilder.DropColumn(
                name: "ReviewDecisionId",
                table: "SupplierAudits");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "EvidenceRequest");
        }
    }
}
