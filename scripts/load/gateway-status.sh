#!/usr/bin/env bash
# Measures the partner gateway on this machine (loopback only, bounded request counts):
#   1. throughput and latency of GetSecurityStatus beside the gateway's own grpc.health.v1.Health/Check, in one run,
#      with h2load (Debian's nghttp2-client, installed if missing);
#   2. p50/p99 of both at a fixed rate of half the GetSecurityStatus throughput just measured (h2load --rps), with
#      one request in flight per connection (HALF_LOAD_STREAMS, 1): docs/performance.md says why;
#   3. the time for one status change to reach N open WatchSecurityStatus streams (scripts/load/WatchFanout).
# Starts its own Portal (token server) and gateway on a fresh SQLite database in a temporary directory and stops
# them at the end. Settings (environment): PORTAL_PORT (5180) and GATEWAY_PORT (5190) on 127.0.0.1, STARTUP_SECONDS
# (300: how long each host may take to listen), SKIP_BUILD (0; 1 runs the Release builds already there, for back-to-back
# runs of two checkouts), REQUESTS (20000), CLIENTS (20), STREAMS (10 per client), WATCHERS (1000),
# FANOUT_RUNS (3), HALF_LOAD_SECONDS (20: each fixed-rate run at half the measured status rate), HALF_LOAD_STREAMS
# (1 per client in the fixed-rate runs), WARMUP_REQUESTS (30000, uncounted: with 2000 the gateway was still being
# jitted during the first timed runs). Prints the machine, the commit and `uptime` before and after each step, so a rerun is comparable, and the gateway's own CPU time per request (read
# from /proc), which other work on a shared machine disturbs far less than requests per second.
# Every run fails loudly unless every response was the OK answer: h2load counts any HTTP 200 as a success, and gRPC
# errors (UNAUTHENTICATED, NOT_FOUND, RESOURCE_EXHAUSTED...) are HTTP 200 with a grpc-status trailer and no message.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
requests="${REQUESTS:-20000}"
clients="${CLIENTS:-20}"
streams="${STREAMS:-10}"
watchers="${WATCHERS:-1000}"
portal_port="${PORTAL_PORT:-5180}"
gateway_port="${GATEWAY_PORT:-5190}"
portal_url="http://127.0.0.1:$portal_port"
gateway_url="http://127.0.0.1:$gateway_port"

if ! command -v h2load >/dev/null; then
  echo "Installing h2load (nghttp2-client)..."
  apt-get install -y nghttp2-client >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nghttp2-client >/dev/null; }
fi

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)"
echo "Commit: $(git rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo "Load before the run: $(uptime)"
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
  echo "Not building (SKIP_BUILD=1): using the Release builds already in bin/"
else
  echo "Building (Release)..."
  for project in src/Portal src/PartnerGateway scripts/load/WatchFanout; do
    dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
  done
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export ASPNETCORE_ENVIRONMENT=Development
export SupplierAssure__DataDirectory="$work/data"
export Logging__LogLevel__Default=Warning
# The measurement is of the gateway, not of its per-partner limit: lift the limit for this run only.
export PartnerGateway__RateLimit__PermitsPerSecond=1000000
export PartnerGateway__RateLimit__Burst=1000000
export PartnerGateway__Authority="$portal_url/"
export Identity__Issuer="$portal_url/"
(cd src/Portal && exec dotnet bin/Release/net10.0/SupplierAssure.Portal.dll --urls "$portal_url") >"$work/portal.log" 2>&1 &
pids+=($!)
# Each host listens once its database is migrated and seeded; on a busy machine that can take minutes.
wait_for_port() { # port name log
  local deadline=$((SECONDS + ${STARTUP_SECONDS:-300}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    if (( SECONDS >= deadline )); then echo "$2 did not listen on port $1 within ${STARTUP_SECONDS:-300} s; its log:" >&2; cat "$3" >&2; exit 1; fi
    sleep 0.5
  done
}
wait_for_port "$portal_port" Portal "$work/portal.log"
(cd src/PartnerGateway && exec dotnet bin/Release/net10.0/SupplierAssure.PartnerGateway.dll \
  --Kestrel:Endpoints:PartnerExchange:Url="$gateway_url") >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_for_port "$gateway_port" "The gateway" "$work/gateway.log"

token="$(curl -sS "$portal_url/connect/token" -d grant_type=client_credentials -d client_id=demo-partner \
  -d client_secret=demo-partner-secret -d scope=partner.status.read | tr -d ' \n' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')" || true
[[ "$token" == ey* ]] || { echo "No token from the Portal; see $work/portal.log" >&2; cat "$work/portal.log" >&2; exit 1; }

# gRPC frames: a 0 byte (not compressed), a 4-byte big-endian length, then the protobuf message.
# GetSecurityStatusRequest { identifier { type: LEI (2), value: "529900MERIDIAN000175" } } is 26 bytes.
printf '\x00\x00\x00\x00\x1a\x0a\x18\x08\x02\x12\x14529900MERIDIAN000175' >"$work/status.bin"
printf '\x00\x00\x00\x00\x00' >"$work/health.bin" # HealthCheckRequest {} is empty

# One call each first: h2load counts HTTP 200 as success, but gRPC errors are HTTP 200 too, so check grpc-status,
# and keep the size of the OK answer's body (its gRPC frames): every h2load run below must receive exactly that many
# bytes per request, which an error (no message at all) or a different answer cannot.
for check in "supplierassure.partner.v1.PartnerExchange/GetSecurityStatus status.bin" "grpc.health.v1.Health/Check health.bin"; do
  set -- $check
  trailer="$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "authorization: Bearer $token" --data-binary "@$work/$2" -D - -o "$work/$2.answer" "$gateway_url/$1" | tr -d '\r' | grep -i '^grpc-status' || true)"
  [[ "$trailer" == "grpc-status: 0" ]] || { echo "$1 did not answer OK ($trailer)" >&2; exit 1; }
  size="$(wc -c <"$work/$2.answer")"
  (( size > 5 )) || { echo "$1 answered OK with no message ($size bytes)" >&2; exit 1; }
  echo "$size" >"$work/$2.size"
  echo "Checked: $1 answers OK with a $size-byte body"
done
gateway_pid="${pids[1]}"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$gateway_pid/stat"; } # the gateway's user + system time, in ticks

run() { # name path body [requests [extra h2load options...]]
  local n="${4:-$requests}" cpu_before cpu_after
  cpu_before="$(cpu_ticks)"
  # --log-file has one line per request (start, status, microseconds to the end of the response): p50/p99 come
  # from it, since h2load itself reports only min, max, mean and sd.
  h2load -n "$n" -c "$clients" -m "$streams" -t 1 "${@:5}" --log-file="$work/$1.log" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $token" \
    -d "$work/$3" "$gateway_url/$2" >"$work/$1.txt" 2>&1 || { cat "$work/$1.txt" >&2; exit 1; }
  cpu_after="$(cpu_ticks)"
  # Every request must have received the OK answer's bytes: n x the size checked above, no more, no less.
  local done_count data_bytes expected_bytes
  done_count="$(grep -E '^requests:' "$work/$1.txt" | sed -E 's/.* ([0-9]+) succeeded.*/\1/')"
  data_bytes="$(grep -E '^traffic:' "$work/$1.txt" | sed -E 's/.*\(([0-9]+)\) data.*/\1/')"
  expected_bytes="$((n * $(cat "$work/$3.size")))"
  if [[ "$done_count" != "$n" || "$data_bytes" != "$expected_bytes" ]]; then
    echo "$1: NOT every call answered OK: $done_count of $n requests succeeded at HTTP level, $data_bytes bytes of" \
      "messages received, $expected_bytes expected (gRPC errors carry no message); h2load said:" >&2
    cat "$work/$1.txt" >&2
    exit 1
  fi
  local rps percentiles cpu_us
  rps="$(grep -E '^finished in' "$work/$1.txt" | sed -E 's/.* ([0-9.]+) req\/s.*/\1/')"
  percentiles="$(cut -f3 "$work/$1.log" | sort -n | awk '{ v[NR] = $1 } END {
    i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1;
    printf "p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d requests", v[i50] / 1000, v[i99] / 1000, v[NR] / 1000, NR }')"
  cpu_us="$(awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%d", t * 1000000 / hz / n }')"
  echo "$1: $rps req/s; $percentiles; gateway CPU $cpu_us us per request; all $n answered OK ($data_bytes bytes)"
  echo "  h2load: $(grep -E '^finished in|^requests:|time for request' "$work/$1.txt" | tr -s ' ' | paste -sd ';')"
  echo "  load now: $(uptime)"
  echo "$rps" >"$work/$1.rps"
}

# Warm-up, not counted: both paths JIT-compiled and the database cache warm before anything is measured (earlier
# runs measured the first health run cold, which made it up to 2x slower than the second).
warmup="${WARMUP_REQUESTS:-30000}"
echo "Warm-up: $warmup requests each (not counted)"
run warmup-health grpc.health.v1.Health/Check health.bin "$warmup" >/dev/null
run warmup-status supplierassure.partner.v1.PartnerExchange/GetSecurityStatus status.bin "$warmup" >/dev/null
echo "h2load: $requests requests, $clients connections x $streams streams, 1 thread, one after the other:"
h2load --version | head -1
run health grpc.health.v1.Health/Check health.bin
run status supplierassure.partner.v1.PartnerExchange/GetSecurityStatus status.bin
run health-again grpc.health.v1.Health/Check health.bin
ratio="$(awk -v s="$(cat "$work/status.rps")" -v a="$(cat "$work/health.rps")" -v b="$(cat "$work/health-again.rps")" \
  'BEGIN { printf "%.2f", s / ((a + b) / 2) }')"
echo "GetSecurityStatus / health Check throughput ratio: $ratio (target >= 0.6)"

# The latency budget (p99 < 10 ms) is for half the saturating load: a saturated server's p99 is queueing time. Here
# each of the $clients connections sends at a fixed rate (h2load --rps) so that together they offer half the
# GetSecurityStatus rate just measured, for HALF_LOAD_SECONDS; then the health Check at the same rate for comparison.
half_seconds="${HALF_LOAD_SECONDS:-20}"
half_streams="${HALF_LOAD_STREAMS:-1}"
half_rate="$(awk -v s="$(cat "$work/status.rps")" 'BEGIN { printf "%d", s / 2 }')"
if (( half_rate >= clients )); then
  per_client="$(awk -v r="$half_rate" -v c="$clients" 'BEGIN { printf "%.2f", r / c }')"
  echo "Half load: $half_rate req/s offered ($clients connections x $per_client req/s, h2load --rps, at most $half_streams in flight per connection) for ${half_seconds} s each:"
  streams="$half_streams" run status-half supplierassure.partner.v1.PartnerExchange/GetSecurityStatus status.bin "$((half_rate * half_seconds))" --rps="$per_client"
  streams="$half_streams" run health-half grpc.health.v1.Health/Check health.bin "$((half_rate * half_seconds))" --rps="$per_client"
else
  echo "Half load skipped: half of the measured rate ($half_rate req/s) is below one request per second per connection."
fi

fanout_runs="${FANOUT_RUNS:-3}"
echo "Watch fan-out: $watchers streams, one change, $fanout_runs runs:"
for run in $(seq 1 "$fanout_runs"); do
  dotnet scripts/load/WatchFanout/bin/Release/net10.0/SupplierAssure.WatchFanout.dll \
    "$gateway_url" "$work/data/supplierassure.db" "$token" "$watchers"
  echo "  load now: $(uptime)"
done
echo "Settings: PORTAL_PORT=$portal_port GATEWAY_PORT=$gateway_port REQUESTS=$requests CLIENTS=$clients STREAMS=$streams WATCHERS=$watchers FANOUT_RUNS=$fanout_runs HALF_LOAD_SECONDS=$half_seconds HALF_LOAD_STREAMS=$half_streams WARMUP_REQUESTS=$warmup"
