#!/usr/bin/env bash
# Runs SupplierAssure on this machine: the Portal on http://127.0.0.1:5080 and the partner gateway on
# http://127.0.0.1:5090, both on the embedded SQLite database in .data/ (created and seeded with demo data on
# first start). Ctrl+C stops both. Needs only the .NET 10 SDK; with Node.js (20.19 or later) it also starts a demo
# OpenID Connect provider for Northgate on http://127.0.0.1:5075 (optional, see below).
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
# --large: the demo at portfolio scale (10,000 generated suppliers, 100,000 findings; see docs/performance.md), in its
# own data directory .data-large/ so that the ordinary demo database stays small. The first start seeds it (about a
# minute on an idle 2-core machine); later starts reuse it.
if [[ "${1:-}" == "--large" ]]; then
  export SupplierAssure__Demo__Scale=large
  export SupplierAssure__DataDirectory="${SupplierAssure__DataDirectory:-$root/.data-large}"
  export STARTUP_TIMEOUT_SECONDS="${STARTUP_TIMEOUT_SECONDS:-600}"
elif [[ -n "${1:-}" ]]; then
  echo "Unknown option '$1' (the only option is --large)." >&2
  exit 2
fi
export SupplierAssure__DataDirectory="${SupplierAssure__DataDirectory:-$root/.data}"
mkdir -p "$SupplierAssure__DataDirectory/logs"

pids=()
idp_pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping SupplierAssure..."
  for pid in "${pids[@]}" "${idp_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
  exit 0
}
trap stop INT TERM EXIT

# The audit report's PDF copy is set in a system TrueType font (DejaVu Sans or Liberation Sans). A bare machine may
# have none: install Debian's fonts-dejavu-core when we can; without it the report page says so and still prints.
if ! compgen -G "/usr/share/fonts/truetype/*/DejaVuSans.ttf" >/dev/null && ! compgen -G "/usr/share/fonts/truetype/*/LiberationSans-Regular.ttf" >/dev/null; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    echo "Installing Debian's fonts-dejavu-core for the audit report PDF..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; } >/dev/null 2>&1 \
      || echo "Could not install fonts-dejavu-core; audit report PDFs are unavailable until a TrueType font is installed." >&2
  else
    echo "No DejaVu or Liberation font found; audit report PDFs are unavailable (apt-get install fonts-dejavu-core)." >&2
  fi
fi

# DEMO ONLY: an upstream OpenID Connect provider for Northgate (scripts/demo-idp), so that federated sign-in with
# home-realm discovery works in the demo. It is optional: without Node.js, npm or the registry, or when it does not
# answer in time, the Portal starts without it and Northgate's people get the password form.
# SUPPLIERASSURE_DEMO_IDP=0 turns it off.
idp_url="http://127.0.0.1:5075/"
idp_started=0
start_demo_idp() {
  if ! command -v node >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
      echo "Installing Debian's nodejs and npm for the demo identity provider..."
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } >/dev/null 2>&1 || true
    fi
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Demo identity provider skipped: Node.js and npm are not installed." >&2
    return 0
  fi
  if [[ ! -d scripts/demo-idp/node_modules/oidc-provider ]]; then
    echo "Installing the demo identity provider's packages (npm oidc-provider, into scripts/demo-idp/node_modules)..."
    if ! (cd scripts/demo-idp && npm ci --no-audit --no-fund --loglevel=error); then
      echo "Demo identity provider skipped: npm could not install its packages." >&2
      return 0
    fi
  fi
  (cd scripts/demo-idp && exec node server.mjs) > >(sed -u 's/^/[idp]     /') 2>&1 &
  local pid=$!
  idp_pids+=("$pid")
  for _ in $(seq 1 180); do
    if (exec 3<>/dev/tcp/127.0.0.1/5075) 2>/dev/null; then
      idp_started=1
      # The Portal's registration of the demo provider (client id and secret are the demo provider's, public on purpose).
      export Federation__Providers__northgate__Issuer="$idp_url"
      export Federation__Providers__northgate__ClientId="supplierassure-demo"
      export Federation__Providers__northgate__ClientSecret="demo-only-northgate-idp-secret"
      export Federation__Providers__northgate__DisplayName="Northgate Cross-Dock sign-in (demo IdP)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "Demo identity provider skipped: it did not start (see its output above); the Portal runs without it." >&2
  kill "$pid" 2>/dev/null || true
  return 0
}
if [[ "${SUPPLIERASSURE_DEMO_IDP:-1}" != 0 ]]; then
  start_demo_idp
fi

# Both hosts start at once against one database: whichever is first creates and seeds it, the other waits.
(cd src/Portal && exec dotnet "bin/$config/net10.0/SupplierAssure.Portal.dll" --urls "$portal_url") \
  > >(sed -u 's/^/[portal]  /') 2>&1 &
pids+=($!)
(cd src/PartnerGateway && exec dotnet "bin/$config/net10.0/SupplierAssure.PartnerGateway.dll") \
  > >(sed -u 's/^/[gateway] /') 2>&1 &
pids+=($!)

# The first start migrates and seeds the database; on a busy machine that can take minutes.
startup_seconds="${STARTUP_TIMEOUT_SECONDS:-180}"
for _ in $(seq 1 $((startup_seconds * 2))); do
  if (exec 3<>/dev/tcp/127.0.0.1/5080) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/5090) 2>/dev/null; then
    ready=1; break
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A host exited during start-up; see its output above." >&2; exit 1; }
  done
  sleep 0.5
done
[[ "${ready:-0}" == 1 ]] || { echo "The hosts did not start within $startup_seconds s (set STARTUP_TIMEOUT_SECONDS to wait longer)." >&2; exit 1; }

cat <<INFO

  SupplierAssure is running (demo mode, data in $SupplierAssure__DataDirectory)

  Portal            $portal_url          health: $portal_url/health
  Token endpoint    $portal_url/connect/token
  Partner gateway   $gateway_url  (gRPC over HTTP/2, reflection on; package supplierassure.partner.v1)

  Demo sign-ins (password Demo-Passw0rd!)
    supplier@meridian.example      supplier admin, Meridian Freight Services (Tier 3 questionnaire issued)
    supplier@caldera.example       supplier admin, Caldera Components
    procurement@operator.example   procurement manager, Harbourline Retail Group (the operator)
    auditor@operator.example       second-party auditor (audits, calendar)
    admin@operator.example         administrator (workflows, policies, partner clients, audit log)
  Federated sign-in (demo IdP $( [[ $idp_started == 1 ]] && echo "on $idp_url" || echo "not running" )):
    amira.haddad@northgate.example  enter it on the sign-in page; Northgate's demo IdP asks for Demo-Passw0rd!
    (use http://127.0.0.1:5080, not localhost: the IdP knows only that callback)
  Demo partner client: demo-partner / demo-partner-secret (client credentials, scope partner.status.read;
    may read Meridian's status under a sharing consent, not Caldera's)

  Press Ctrl+C to stop.

INFO
wait -n "${pids[@]}" || true
echo "A host stopped; stopping the other." >&2
