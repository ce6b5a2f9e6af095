using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplierAssure.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditRowVersionsAndUserNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AudienceUserId",
                table: "Notification",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "AuditStep",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "AuditFinding",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_Notification_AudienceUserId_CreatedAt",
                table: "Notification",
                columns: new[] { "AudienceUserId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notification_AudienceUserId_CreatedAt",
                table: "Notification");

            migrationBuilder.DropColumn(
                name: "AudienceUserId",
                table: "Notification");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "AuditStep");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "AuditFinding");
        }
    }
}
