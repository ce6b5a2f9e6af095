#!/usr/bin/env bash
# Refreshes the CSS framework vendored into src/Portal/wwwroot/lib from the npm registry.
# The vendored files are committed, so neither running nor testing the Portal needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${PICO_VERSION:-2.1.1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "@picocss/pico@$version" --silent >/dev/null && tar xzf picocss-pico-*.tgz)
mkdir -p src/Portal/wwwroot/lib/pico
cp "$work/package/css/pico.min.css" "$work/package/LICENSE.md" src/Portal/wwwroot/lib/pico/
echo "Vendored @picocss/pico $version"
