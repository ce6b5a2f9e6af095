#!/usr/bin/env bash
# Runs every test SupplierAssure has (what CI runs), after installing what the tests need:
# the local dotnet tools and Debian's chromium for the browser tests. Ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results="artifacts/test-results"

install_prerequisites() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null \
      || { echo "Could not install chromium (apt-get install -y chromium); the browser tests need it." >&2; return 1; }
  fi
  # The audit report PDF test reads back text set in DejaVu Sans or Liberation Sans.
  if ! compgen -G "/usr/share/fonts/truetype/*/DejaVuSans.ttf" >/dev/null && ! compgen -G "/usr/share/fonts/truetype/*/LiberationSans-Regular.ttf" >/dev/null; then
    echo "Installing Debian's fonts-dejavu-core for the audit report PDF test..."
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-dejavu-core >/dev/null \
      || { echo "Could not install fonts-dejavu-core (apt-get install -y fonts-dejavu-core); the PDF test needs it." >&2; return 1; }
  fi
  dotnet tool restore >/dev/null || { echo "dotnet tool restore failed." >&2; return 1; }
  # axe-core for the accessibility scan in tests/Browser.Tests (the test injects axe.min.js into each page).
  if [[ ! -f tests/Browser.Tests/node_modules/axe-core/axe.min.js ]]; then
    npm install --no-save --no-package-lock --no-audit --no-fund --silent --prefix tests/Browser.Tests "axe-core@${AXE_CORE_VERSION:-4.14.1}" >/dev/null \
      || { echo "Could not install axe-core from npm; the accessibility scan needs it." >&2; return 1; }
  fi
}

install_prerequisites || exit 1

rm -rf "$results"
dotnet build SupplierAssure.sln -c Release -nologo -v q -clp:ErrorsOnly -warnaserror || { echo "0 passed, 1 failed"; exit 1; }

# Every test host (WebApplicationFactory) watches appsettings and static files; with inotify each one takes an
# instance from a per-user limit (128 by default), which several hundred hosts in parallel assemblies exhaust.
# Polling watchers need no inotify instance; the tests never rely on a file change being noticed.
export DOTNET_USE_POLLING_FILE_WATCHER=1

# Test assemblies run in parallel (one per core); each test host uses its own temporary database.
dotnet test SupplierAssure.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  -- RunConfiguration.TreatNoTestsAsError=true
status=$?

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi  # a crashed test host counts as a failure
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
