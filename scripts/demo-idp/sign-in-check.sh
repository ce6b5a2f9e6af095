#!/usr/bin/env bash
# DEMO ONLY. Walks federated sign-in against a running scripts/run.sh with curl, the way a browser would: the
# Portal's e-mail-first sign-in page, home-realm discovery to Northgate's demo IdP, its password form, the callback
# /signin-oidc/northgate, and the Portal's home page signed in. Prints each hop; exits 1 if any step is not as expected.
set -euo pipefail
portal="${PORTAL_URL:-http://127.0.0.1:5080}"
email="${DEMO_IDP_EMAIL:-amira.haddad@northgate.example}"
password="${DEMO_IDP_PASSWORD:-Demo-Passw0rd!}"
jar="$(mktemp)"
page="$(mktemp)"
trap 'rm -f "$jar" "$page"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
# One request; prints "status location" (also to stderr, as the trace) and keeps the body in $page.
hop() {
  local out
  out="$(curl -sS -b "$jar" -c "$jar" -o "$page" -w '%{http_code} %{redirect_url}' "$@")"
  echo "  $out" >&2
  echo "$out"
}
token_in() { { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$page" || true; } | head -1 | sed 's/.*value="//; s/"$//'; }

echo "1. GET $portal/Account/Login" >&2
hop "$portal/Account/Login" >/dev/null
token="$(token_in)"; [[ -n "$token" ]] || fail "no anti-forgery token on the sign-in page"

echo "2. POST the e-mail address ($email): home-realm discovery" >&2
read -r status next < <(hop --data-urlencode "Input.Email=$email" --data-urlencode "__RequestVerificationToken=$token" "$portal/Account/Login?handler=Continue")
[[ "$status" == 302 && "$next" == http://127.0.0.1:5075/auth* ]] || fail "expected a redirect to the demo IdP, got $status $next"

echo "3. Follow the IdP's redirects to its sign-in form" >&2
while [[ "$status" =~ ^30 ]]; do read -r status next < <(hop "$next") || true; done
form="$({ grep -o 'action="/interaction/[^"]*/login"' "$page" || true; } | sed 's/action="//; s/"$//')"
[[ -n "$form" ]] || fail "the IdP showed no sign-in form"

echo "4. POST the password to the IdP" >&2
read -r status next < <(hop --data-urlencode "email=$email" --data-urlencode "password=$password" "http://127.0.0.1:5075$form")
echo "5. Follow redirects back to the Portal's callback and home page" >&2
callback_seen=0
while [[ "$status" =~ ^30 ]]; do
  [[ "$next" == "$portal/signin-oidc/northgate"* ]] && callback_seen=1
  read -r status next < <(hop "$next")
done
[[ "$callback_seen" == 1 ]] || fail "never reached $portal/signin-oidc/northgate"
[[ "$status" == 200 ]] || fail "the last hop answered $status"

echo "6. GET $portal/ with the Portal's cookie" >&2
hop "$portal/" >/dev/null
who="$({ grep -o 'data-testid="signed-in-as">[^<]*' "$page" || true; } | sed 's/.*>//')"
[[ -n "$who" ]] || fail "the home page does not show a signed-in user"
echo "Signed in to the Portal as: $who"
