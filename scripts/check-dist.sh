#!/usr/bin/env bash
# The production path, from a clean state: a copy of the sources without node_modules or dist,
# `npm ci`, `npm run build`, `npm prune --omit=dev`, then the built programs run with only the
# production dependencies: --help, the `canopy` bin, an origin and a relay (and a relay with
# --workers 2) answering /healthz, a stream published and played through them, and the
# relay's drain on SIGTERM. .ci/run calls this after the tests; it needs the repository's own
# dev dependencies installed (the test clients that publish and play come from test/support).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/canopy-dist-XXXXXX")
declare -A pids=()

cleanup() {
  for name in "${!pids[@]}"; do kill -INT "${pids[$name]}" 2>/dev/null || true; done
  for name in "${!pids[@]}"; do wait "${pids[$name]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "check-dist: FAILED: $*" >&2
  for log in "$work"/*.log; do [ -e "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }; done
  exit 1
}
step() { echo "check-dist: $*"; }

step "copying the sources (tracked and new files, nothing ignored) to $work/app"
mkdir -p "$work/app"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$work/app"
cd "$work/app"

step "npm ci, npm run build, npm prune --omit=dev"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
npm run build --silent
npm prune --omit=dev --no-audit --no-fund --loglevel=error >/dev/null
for dev in tsx typescript vitest playwright-core; do
  [ ! -e "node_modules/$dev" ] || fail "dev dependency $dev is still installed after the prune"
done
[ -f dist/relay/main.js ] && [ -f dist/origin/main.js ] && [ -f dist/src/gen/link.js ] || fail "dist/ lacks the programs or the generated protobuf code"
[ -f dist/src/dashboard/index.html ] && [ -f dist/src/dashboard/dashboard.js ] || fail "dist/ lacks the dashboard's page"

step "--help from dist and through the canopy bin"
node dist/relay/main.js --help | grep -q -- '--drain-timeout' || fail "node dist/relay/main.js --help"
node dist/origin/main.js --help | grep -q -- '--data-dir' || fail "node dist/origin/main.js --help"
npx --no-install canopy relay --help | grep -q '^usage: canopy relay' || fail "npx canopy relay --help"
npx --no-install canopy origin --help | grep -q '^usage: canopy origin' || fail "npx canopy origin --help"
npx --no-install canopy --help | grep -q '^Canopy: a WebRTC live relay tree' || fail "npx canopy --help does not print Canopy's help"

step "the README's npm scripts and the token command on the pruned install (no tsx)"
npm run --silent relay -- --help | grep -q '^usage: npm run relay' || fail "npm run relay -- --help after the prune"
npm run --silent origin -- --help | grep -q -- '--data-dir' || fail "npm run origin -- --help after the prune"
secret_dir=$(mktemp -d "$work/secrets-XXXXXX")
openssl rand -hex 32 >"$secret_dir/jwt.secret"
jwt='^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'
# Only the token on stdout, so TOKEN=$(…) captures it alone.
token=$(npm run --silent token -- --secret-file "$secret_dir/jwt.secret" --stream cam --action publish --ttl 12h) || fail "npm run token after the prune"
[[ "$token" =~ $jwt ]] || fail "npm run --silent token printed more than a token: $token"
token=$(npx --no-install canopy token --secret-file "$secret_dir/jwt.secret" --stream cam --action play) || fail "npx canopy token"
[[ "$token" =~ $jwt ]] || fail "npx canopy token printed more than a token: $token"

# Starts a program in the background; its log goes to $work/NAME.log.
start() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 &
  pids[$name]=$!
}

# The URL a started program logged in its "listening" line (the first line matching $2, if given).
url_of() {
  local name=$1 filter=${2:-.} url=""
  for _ in $(seq 1 200); do
    url=$(grep -e "$filter" "$work/$name.log" 2>/dev/null | grep -o '"url":"http[^"]*"' | head -n 1 | cut -d'"' -f4 || true)
    [ -n "$url" ] && { echo "$url"; return 0; }
    kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited while starting"
    sleep 0.1
  done
  fail "$name logged no listening URL within 20 s"
}

health() { curl -s -o /dev/null -w '%{http_code}' "$1/healthz" || true; }

# Waits for a background program to exit; fails unless it exits with status 0 within $2 s.
expect_exit() {
  local name=$1 seconds=$2
  for _ in $(seq 1 $((seconds * 10))); do
    if ! kill -0 "${pids[$name]}" 2>/dev/null; then
      local code=0
      wait "${pids[$name]}" || code=$?
      unset "pids[$name]"
      [ "$code" -eq 0 ] || fail "$name exited with status $code"
      return 0
    fi
    sleep 0.1
  done
  fail "$name still running ${seconds} s after it should have stopped"
}

export CANOPY_CLUSTER_SECRET=check-dist-secret
common=(--listen 127.0.0.1:0 --ice-address 127.0.0.1 --drain-timeout 20s)

step "starting an origin (through bin/canopy.js, as the Dockerfile and the systemd units do) and a relay from dist"
start origin node bin/canopy.js origin --id origin "${common[@]}" --data-dir "$work/data"
origin=$(url_of origin)
start relay node dist/relay/main.js --id relay-a "${common[@]}" --parent "${origin/http/ws}/relay" --log-format pretty
relay=$(url_of relay)
for _ in $(seq 1 100); do [ "$(health "$relay")" = 200 ] && break; sleep 0.1; done
[ "$(health "$origin")" = 200 ] || fail "origin /healthz"
[ "$(health "$relay")" = 200 ] || fail "relay /healthz"
curl -s "$relay/healthz" | grep -q '"level":1' || fail "the relay did not learn level 1 from the origin"
step "origin $origin and relay $relay answer /healthz"
# The dashboard's page and data from dist (loopback client: no admin token needed).
curl -sf "$origin/dashboard/" | grep -q 'dashboard.js' || fail "the origin's /dashboard/ page from dist"
curl -sf "$origin/dashboard/dashboard.js" >/dev/null || fail "the origin's dashboard script from dist"
# The relay's first status rides on its first ping (a heartbeat after the link came up).
for _ in $(seq 1 50); do curl -sf "$origin/api/tree" | grep -q '"id":"relay-a"' && break; sleep 0.1; done
curl -sf "$origin/api/tree" | grep -q '"id":"relay-a"' || fail "the origin's /api/tree does not show relay-a"

step "a relay with --workers 2 from dist (forks the compiled main.js, no tsx)"
start cluster node dist/relay/main.js --id relay-w "${common[@]}" --parent "${origin/http/ws}/relay" --workers 2
# The workers share the front's stdout: its own line is the cluster component's.
cluster=$(url_of cluster '"component":"cluster"')
for _ in $(seq 1 100); do [ "$(health "$cluster")" = 200 ] && break; sleep 0.1; done
[ "$(health "$cluster")" = 200 ] || fail "the --workers 2 relay's /healthz"
kill -TERM "${pids[cluster]}"
expect_exit cluster 15

step "publishing and playing through them, then draining the relay"
(cd "$repo" && node --import tsx scripts/check-dist-play.ts --origin "$origin" --relay "$relay" --relay-pid "${pids[relay]}") || fail "publish, play and drain"
expect_exit relay 10

kill -TERM "${pids[origin]}"
expect_exit origin 15
grep -q '"msg":"closed: signal SIGTERM, drain idle"' "$work/origin.log" || fail "the origin did not log its drained close"
step "OK: the built package runs with production dependencies only"
