#!/usr/bin/env bash
# Times the Portal's procurement pages on the scale demo data (issue 7: supplier list, supplier page and dashboard
# under 100 ms server time with 10,000 suppliers and 100,000 findings).
#
# Starts the Portal (Release build, Development, SupplierAssure:Demo:Scale=large, workflows off so that no background
# work competes) on its own data directory and port, which it seeds on first start (the seed time is printed), signs
# in as procurement@operator.example, warms each URL up, then requests each one RUNS times in a row and prints the
# median, p90 and max of curl's time to first byte (on 127.0.0.1 that is the server's time to produce the page:
# the page is rendered in full before its first byte is sent) and the page size.
#
# Usage: scripts/load/portal-pages.sh             (data in $DATA_DIR, default /tmp/supplierassure-scale, kept for
#                                                   the next run: delete it to time the seed again)
#        RUNS=50 PORT=5181 scripts/load/portal-pages.sh
# Needs: the .NET 10 SDK, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
config="${CONFIGURATION:-Release}"
port="${PORT:-5181}"
runs="${RUNS:-30}"
data_dir="${DATA_DIR:-/tmp/supplierassure-scale}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
jar="$work/cookies"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building the Portal ($config)..."
  dotnet build src/Portal -c "$config" -nologo -v q -clp:ErrorsOnly
fi

mkdir -p "$data_dir"
echo "Starting the Portal on $base with the scale demo data in $data_dir ($(uptime | sed 's/.*load average/load average/'))"
seed_started=$(date +%s.%N)
(cd src/Portal && exec env ASPNETCORE_ENVIRONMENT=Development SupplierAssure__DataDirectory="$data_dir" \
  SupplierAssure__Demo__Scale=large Workflows__Enabled=false Logging__LogLevel__Default=Warning \
  Logging__LogLevel__SupplierAssure.Database=Information \
  dotnet "bin/$config/net10.0/SupplierAssure.Portal.dll" --urls "$base") > "$work/portal.log" 2>&1 &
portal=$!
stop() { kill "$portal" 2>/dev/null || true; wait "$portal" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT

for _ in $(seq 1 1200); do
  curl -fsS -o /dev/null "$base/health" 2>/dev/null && break
  kill -0 "$portal" 2>/dev/null || { cat "$work/portal.log" >&2; echo "The Portal exited during start-up." >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "$base/health" || { echo "The Portal did not start in 10 minutes." >&2; exit 1; }
printf 'Portal ready after %.1f s (migrations, demo seed and scale seed when the data directory was new).\n' "$(echo "$(date +%s.%N) - $seed_started" | bc)"
grep -h "Scale demo data seeded" "$work/portal.log" | sed 's/^/  /' || echo "  (scale seed already in $data_dir)"

# Sign in: the antiforgery token from the sign-in page, then the password form.
token=$(curl -fsS -c "$jar" -b "$jar" "$base/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
[[ -n "$token" ]] || { echo "No antiforgery token on the sign-in page." >&2; exit 1; }
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "Input.Email=procurement@operator.example" --data-urlencode "Input.Password=Demo-Passw0rd!" \
  --data-urlencode "__RequestVerificationToken=$token" "$base/Account/Login")
[[ "$status" == 302 ]] || { echo "Sign-in answered $status, expected a redirect." >&2; exit 1; }

# One generated supplier with many findings and three cycles, for the supplier page.
page_supplier=$(curl -fsS -b "$jar" "$base/Suppliers?q=Northfield&sort=ScoreDescending" | sed -n 's/.*href="\/Suppliers\/\([0-9a-f-]\{36\}\)".*/\1/p' | head -1)
[[ -n "$page_supplier" ]] || { echo "No supplier found for the supplier page." >&2; exit 1; }

urls=(
  "/Suppliers"
  "/Suppliers?page=400"
  "/Suppliers?sort=ScoreDescending"
  "/Suppliers?sort=RiskDescending&page=200"
  "/Suppliers?tier=Tier1Critical&risk=High&country=DE"
  "/Suppliers?status=Approved&overdue=true&sort=LastAssessedDescending"
  "/Suppliers?q=Harbour"
  "/Suppliers?finding=MajorNonconformity&fclause=8"
  "/Suppliers?mclause=8&mlevel=2"
  "/Suppliers?credential=Valid&schedule=InDate&page=20"
  "/Suppliers/$page_supplier"
  "/Dashboard"
)

printf '\n%-70s %8s %8s %8s %9s\n' "GET (server time, ms)" median p90 max bytes
for url in "${urls[@]}"; do
  for _ in 1 2 3; do curl -fsS -o /dev/null -b "$jar" "$base$url"; done
  times=()
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -fsS -o "$work/body" -b "$jar" -w '%{time_starttransfer}' "$base$url")")
  done
  size=$(wc -c < "$work/body")
  printf '%s\n' "${times[@]}" | sort -n | awk -v url="$url" -v size="$size" '
    { t[NR] = $1 * 1000 }
    END { printf "%-70s %8.1f %8.1f %8.1f %9d\n", url, t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR], size }'
done
echo
echo "$runs requests per URL after 3 warm-up requests; $(uptime | sed 's/.*load average/load average/') at the end."
