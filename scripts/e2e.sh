#!/usr/bin/env bash
# scripts/e2e.sh: the browser tests of the screens, in headless Chromium, against a real gridcc
# with the real Redis and ClickHouse (scripts/test.sh runs it as its last stage).
#
#   scripts/e2e.sh            installs Debian's chromium and CJK fonts when missing, builds the
#                             frontend and gridcc, starts gridcc on a free port with a key prefix
#                             and database of its own, runs `npm run e2e` in frontend/, stops it
#   scripts/e2e.sh --bench-wall   the same server, but runs the wall's browser benchmark
#                             (`npm run bench:wall`; its BENCH_* variables pass through) instead
#   scripts/e2e.sh --only "together m"   only these specs (frontend/e2e/<name>.spec.mjs)
#
# Before the specs run, a year of history (reported 35-360 days ago) is seeded into the test's
# ClickHouse database with gridseed, for the console's history search.
# The server is stopped and restarted once by the test itself (the stale-banner test) through
# GRIDCC_E2E_SERVER_STOP / GRIDCC_E2E_SERVER_START, which call this script's own functions.
# Screenshots: artifacts/frontend/ (git-ignored); look at them.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

E2E_DIR=var/e2e
PIDFILE="$E2E_DIR/gridcc.pid"

# start_server: (re)starts gridcc with the environment in $E2E_DIR/env and waits for /readyz.
start_server() {
  set -a
  # shellcheck disable=SC1091
  . "$E2E_DIR/env"
  set +a
  setsid var/bin/gridcc </dev/null >>"$E2E_DIR/gridcc.log" 2>&1 &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 "$GRIDCC_E2E_URL/readyz" >/dev/null 2>&1; do
    pid_alive "$(cat "$PIDFILE")" || { tail -n 30 "$E2E_DIR/gridcc.log" >&2; die "gridcc exited during start"; }
    ((SECONDS < deadline)) || die "gridcc did not become ready within 60s"
    sleep 0.2
  done
}

# stop_server: SIGTERM (graceful: sockets get 1001), then SIGKILL after 20 s.
stop_server() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
}

NPM_SCRIPT=e2e
SPECS=()
case "${1:-}" in
  --start-server) start_server; exit 0 ;;
  --stop-server) stop_server; exit 0 ;;
  --bench-wall) NPM_SCRIPT=bench:wall ;;
  --only)
    for name in ${2:?--only needs spec names, e.g. \"together m\"}; do
      [[ -f "frontend/e2e/$name.spec.mjs" ]] || die "no spec frontend/e2e/$name.spec.mjs"
      SPECS+=("e2e/$name.spec.mjs")
    done
    ;;
  '') ;;
  *) die "unknown argument '$1'" ;;
esac

require_go
require_node

if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  step "Installing Debian's chromium and CJK fonts (apt)"
  [[ "$(id -u)" == 0 ]] || die "chromium and fonts-noto-cjk are missing; install them as root: apt-get install chromium fonts-noto-cjk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium fonts-noto-cjk >/dev/null
fi

step "Building the frontend and gridcc"
(cd frontend && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm run build)
mkdir -p var/bin "$E2E_DIR"
go build -o var/bin/gridcc ./backend/cmd/gridcc
go build -o var/bin/gridseed ./backend/cmd/gridseed

bash scripts/services.sh start >/dev/null
load_services_env
rm -f "$E2E_DIR/auth.json" "$E2E_DIR/gridcc.log"
export GRIDCC_AUTH_FILE="$E2E_DIR/auth.json"
port="$(free_port)"
suffix="$(date +%s)$$"
cat >"$E2E_DIR/env" <<ENV
GRIDCC_ADDR=127.0.0.1:$port
GRIDCC_REDIS_URL=$GRIDCC_REDIS_URL
GRIDCC_REDIS_PREFIX=e2e$suffix:
GRIDCC_CLICKHOUSE_URL=${GRIDCC_CLICKHOUSE_URL%/*}/gridcc_e2e_$suffix
GRIDCC_AUTH_FILE=$GRIDCC_AUTH_FILE
GRIDCC_FRONTEND_DIR=frontend/dist
GRIDCC_E2E_URL=http://127.0.0.1:$port
ENV
export GRIDCC_E2E_WALL_TOKEN GRIDCC_E2E_INGEST_TOKEN
GRIDCC_E2E_WALL_TOKEN="$(add_token "$GRIDCC_AUTH_FILE" wall e2e-wall)"
GRIDCC_E2E_INGEST_TOKEN="$(add_token "$GRIDCC_AUTH_FILE" ingest:e2e e2e-ingest)"
# Users for the screens behind a login (console, review, phone page), one
# password for all: GRIDCC_E2E_PASSWORD with GRIDCC_E2E_USER_<ROLE> as login.
user() { echo "$GRIDCC_E2E_PASSWORD" | var/bin/gridcc users add --name "$1" --display "$2" --role "$3" --password-stdin >/dev/null; }
export GRIDCC_E2E_PASSWORD GRIDCC_E2E_USER_OFFICER=e2e-officer GRIDCC_E2E_USER_REVIEWER=e2e-reviewer GRIDCC_E2E_USER_RESPONDER=e2e-gafj
# A street user of 七一路街道: the scope test checks it never sees another street's items.
export GRIDCC_E2E_USER_STREET=e2e-street-qiyilu GRIDCC_E2E_STREET=411602002
GRIDCC_E2E_PASSWORD="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
user "$GRIDCC_E2E_USER_OFFICER" 值班员测试 officer
user "$GRIDCC_E2E_USER_REVIEWER" 研判测试 reviewer
user "$GRIDCC_E2E_USER_RESPONDER" 公安分局测试 responder:gafj
user "$GRIDCC_E2E_USER_STREET" 七一路街道测试 "street:$GRIDCC_E2E_STREET"

cleanup() {
  local rc=$?
  stop_server
  # The test's own database and Redis keys, so repeated runs do not accumulate data (and a shared
  # Redis's AOF does not keep growing and rewriting under other work).
  curl -fsS --max-time 10 "http://127.0.0.1:${GRIDCC_CH_HTTP_PORT:-8123}/" \
    --data-binary "DROP DATABASE IF EXISTS gridcc_e2e_$suffix" >/dev/null 2>&1 || true
  delete_redis_prefix "e2e$suffix:" 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT

step "Starting gridcc for the browser tests"
start_server
if [[ "$NPM_SCRIPT" == e2e ]]; then
  # History only ClickHouse has (reported 35-360 days ago: the live store keeps done cases 30 days),
  # for the console's history search; gridseed names its cases seed-h-1, seed-h-2, ...
  step "Seeding a year of history into the test database (gridseed)"
  (
    set -a
    # shellcheck disable=SC1091
    . "$E2E_DIR/env"
    set +a
    GRIDCC_GEODATA=geodata var/bin/gridseed --seed 7 --quiet \
      --from "$(TZ=Asia/Shanghai date -d '-360 days' +%F)" --to "$(TZ=Asia/Shanghai date -d '-35 days' +%F)"
  )
  export GRIDCC_E2E_HISTORY_SEEDED=1
fi
export GRIDCC_E2E_URL="http://127.0.0.1:$port"
export GRIDCC_E2E_SERVER_STOP="bash '$GRIDCC_ROOT/scripts/e2e.sh' --stop-server"
export GRIDCC_E2E_SERVER_START="bash '$GRIDCC_ROOT/scripts/e2e.sh' --start-server"
if [[ "$NPM_SCRIPT" == e2e ]]; then
  step "Running the browser tests (npm run e2e; screenshots in artifacts/frontend/)"
else
  step "Running the wall benchmark (npm run bench:wall) against this gridcc"
fi
(cd frontend && npm run "$NPM_SCRIPT" -- "${SPECS[@]}")
