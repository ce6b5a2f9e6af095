using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Key = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    AudienceSupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    AudienceRole = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    EmailedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    WorkflowInstanceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notification", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RemediationCase",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupplierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    FindingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Grade = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    PolicyVersion = table.Column<int>(type: "int", nullable: false),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ActionPlanDueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ActionPlan = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    ActionPlanAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ImplementationDueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ImplementationNote = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    ImplementedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    VerificationDueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    VerificationNote = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    VerifiedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Round = table.Column<int>(type: "int", nullable: false),
                    EscalatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    WorkflowInstanceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    Json = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    PublishedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowPolicyVersion", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationRead",
                columns: table => new
                {
                    NotificationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
