#!/usr/bin/env bash
# Runs SupplierAssure on this machine: the Portal on http://127.0.0.1:5080 and the partner gateway on
# http://127.0.0.1:5090, both on the embedded SQLite database in .data/ (created and seeded with demo data on
# first start). Ctrl+C stops both. Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
config="${CONFIGURATION:-Release}"
portal_url="http://127.0.0.1:5080"
gateway_url="http://127.0.0.1:5090"

echo "Building SupplierAssure ($config)..."
for project in src/Portal src/PartnerGateway; do
  dotnet build "$project" -c "$config" -nologo -v q -clp:ErrorsOnly
done

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export SupplierAssure__DataDirectory="${SupplierAssure__DataDirectory:-$root/.data}"
mkdir -p "$SupplierAssure__DataDirectory/logs"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping SupplierAssure..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
  exit 0
}
trap stop INT TERM EXIT

# Both hosts start at once against one database: whichever is first creates and seeds it, the other waits.
(cd src/Portal && exec dotnet "bin/$config/net10.0/SupplierAssure.Portal.dll" --urls "$portal_url") \
  > >(sed -u 's/^/[portal]  /') 2>&1 &
pids+=($!)
(cd src/PartnerGateway && exec dotnet "bin/$config/net10.0/SupplierAssure.PartnerGateway.dll") \
  > >(sed -u 's/^/[gateway] /') 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/5080) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/5090) 2>/dev/null; then
    ready=1; break
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A host exited during start-up; see its output above." >&2; exit 1; }
  done
  sleep 0.5
done
[[ "${ready:-0}" == 1 ]] || { echo "The hosts did not start within 60 s." >&2; exit 1; }

cat <<INFO

  SupplierAssure is running (demo mode, data in $SupplierAssure__DataDirectory)

  Portal            $portal_url          health: $portal_url/health
  Token endpoint    $portal_url/connect/token
  Partner gateway   $gateway_url  (gRPC over HTTP/2, reflection on; package supplierassure.partner.v1)

  Demo sign-ins (password Demo-Passw0rd!)
    supplier@meridian.example      supplier admin, Meridian Freight Services (Tier 3 questionnaire issued)
    supplier@caldera.example       supplier admin, Caldera Components
    procurement@operator.example   procurement manager, Harbourline Retail Group (the operator)
  Demo partner client: demo-partner / demo-partner-secret (client credentials, scope partner.status.read;
    may read Meridian's status under a sharing consent, not Caldera's)

  Press Ctrl+C to stop both processes.

INFO
wait -n "${pids[@]}" || true
echo "A host stopped; stopping the other." >&2
