#!/usr/bin/env bash
# Adds an EF Core migration with the same name to both providers (SQLite and SQL Server).
# Usage: scripts/add-migration.sh <MigrationName>
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh <MigrationName>}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do dotnet build "src/Migrations.$provider" -v q -nologo >/dev/null; done
for provider in Sqlite SqlServer; do
  dotnet ef migrations add "$name" \
    --project "src/Migrations.$provider" \
    --startup-project "src/Migrations.$provider" \
    --context "${provider}SupplierAssureDbContext" \
    --output-dir Migrations
done
