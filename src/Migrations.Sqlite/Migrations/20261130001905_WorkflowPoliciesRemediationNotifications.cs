using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WorkflowPoliciesRemediationNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Notification",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AudienceSupplierId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AudienceRole = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EmailedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WorkflowInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notification", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RemediationCase",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SupplierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FindingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    PolicyVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActionPlanDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActionPlan = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ActionPlanAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ImplementationDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ImplementationNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ImplementedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VerificationDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VerificationNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    VerifiedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Round = table.Column<int>(type: "INTEGER", nullable: false),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WorkflowInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RemediationCase", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RemediationCase_AssessmentFinding_FindingId",
                        column: x => x.FindingId,
                        principalTable: "AssessmentFinding",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RemediationCase_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowPolicyVersion",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowPolicyVersion", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationRead",
                columns: table => new
                {
                    NotificationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationRead", x => new { x.NotificationId, x.UserId });
                    table.ForeignKey(
                        name: "FK_NotificationRead_Notification_NotificationId",
                        column: x => x.NotificationId,
                        principalTable: "Notification",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Notification_AudienceRole_CreatedAt",
                table: "Notification",
                columns: new[] { "AudienceRole", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notification_AudienceSupplierId_CreatedAt",
                table: "Notification",
                columns: new[] { "AudienceSupplierId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notification_EmailedAt",
                table: "Notification",
                column: "EmailedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notification_Key",
                table: "Notification",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationRead_UserId",
                table: "NotificationRead",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_AssessmentId_State",
                table: "RemediationCase",
                columns: new[] { "AssessmentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_FindingId",
                table: "RemediationCase",
                column: "FindingId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RemediationCase_SupplierId_State",
                table: "RemediationCase",
                columns: new[] { "SupplierId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowPolicyVersion_Version",
                table: "WorkflowPolicyVersion",
                column: "Version",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NotificationRead");

            migrationBuilder.DropTable(
                name: "RemediationCase");

            migrationBuilder.DropTable(
                name: "WorkflowPolicyVersion");

            migrationBuilder.DropTable(
                name: "Notification");
        }
    }
}
