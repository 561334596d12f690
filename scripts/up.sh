#!/usr/bin/env bash
# scripts/up.sh: run gridcc on this machine with its Redis and ClickHouse (the README's first command).
#
#   scripts/up.sh                     then open the URL it prints; Ctrl-C stops everything it started
#
# Steps:
#   1 services   scripts/services.sh start (installs Redis/ClickHouse through apt when missing)
#   2 frontend   npm ci && npm run build in frontend/, when frontend/package.json exists and
#                frontend/dist is missing or older than the sources
#   3 build      go build ./backend/cmd/gridcc into var/bin/gridcc
#   4 gridcc     started with var/services.env, GRIDCC_ADDR (default 127.0.0.1:8080) and
#                GRIDCC_GEODATA (default geodata); waits until GET /healthz answers
#   5 demo       demo tokens and users (var/demo-tokens.env, mode 600, made once) and
#                backend/cmd/gridsim demo (GRIDSIM_SPEED, default 600: ten simulated minutes
#                per real second); the logins of the duty console and the phone page are printed
#
# gridcc's log is var/log/gridcc.log; it is followed on the terminal once gridcc is up.
# Ctrl-C (or SIGTERM) stops gridcc and the services this script started; services that
# were already running before (yours) are left running.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$GRIDCC_ROOT"

case "${1:-}" in
  '') ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument '$1' (try --help)" ;;
esac

ADDR="${GRIDCC_ADDR:-127.0.0.1:8080}"
GEODATA="${GRIDCC_GEODATA:-geodata}"
GRIDCC_LOG=var/log/gridcc.log
HEALTH_TIMEOUT=60 # seconds for gridcc to answer /healthz
STOP_TIMEOUT=30   # seconds between SIGTERM and SIGKILL for gridcc (its own shutdown takes up to 15 s)

GRIDCC_PID=''
GRIDSIM_PID='' # set by the demo hook once it starts backend/cmd/gridsim
TAIL_PID=''
STOP_AT_END=() # services this script started

# shellcheck disable=SC2317 # called from cleanup(), which only the traps call
# stop_child NAME PID: SIGTERM, wait up to STOP_TIMEOUT seconds, then SIGKILL.
stop_child() {
  local name=$1 pid=$2
  pid_alive "$pid" || return 0
  info "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if pid_alive "$pid"; then
    warn "$name did not stop within ${STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # called by the traps
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [[ -n "$TAIL_PID" ]] && kill "$TAIL_PID" 2>/dev/null
  if [[ -n "$GRIDSIM_PID$GRIDCC_PID" || ${#STOP_AT_END[@]} -gt 0 ]]; then
    step "Shutting down"
  fi
  [[ -n "$GRIDSIM_PID" ]] && stop_child gridsim "$GRIDSIM_PID"
  [[ -n "$GRIDCC_PID" ]] && stop_child gridcc "$GRIDCC_PID"
  if ((${#STOP_AT_END[@]})); then
    bash scripts/services.sh stop "${STOP_AT_END[@]}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1 services -------------------------------------------------------------
# Only a service that is plainly stopped now is ours to stop at the end.
mapfile -t STOP_AT_END < <(stopped_services)
bash scripts/services.sh start
load_services_env

# ---- 2 frontend -------------------------------------------------------------
# frontend_stale: dist/index.html is missing, or some source file (anything in frontend/
# but node_modules and dist) is newer than it.
frontend_stale() {
  [[ -f frontend/dist/index.html ]] || return 0
  [[ -n "$(find frontend \( -path frontend/node_modules -o -path frontend/dist \) -prune -o \
    -type f -newer frontend/dist/index.html -print -quit)" ]]
}
HAVE_FRONTEND=''
if [[ -f frontend/package.json ]]; then
  HAVE_FRONTEND=1
  if frontend_stale; then
    require_node
    step "Building the frontend (npm ci && npm run build)"
    t0="$(now_ms)"
    (cd frontend && npm ci --no-audit --no-fund && npm run build)
    ok "frontend/dist built in $(fmt_ms $(($(now_ms) - t0)))"
  else
    info "frontend/dist is up to date"
  fi
else
  info "no frontend/package.json yet: gridcc serves its notice page at /"
fi

# ---- 3 build ----------------------------------------------------------------
[[ -d backend/cmd/gridcc ]] || die "backend/cmd/gridcc does not exist in this checkout"
require_go
step "Building gridcc (go build ./backend/cmd/gridcc -> var/bin/gridcc)"
t0="$(now_ms)"
mkdir -p var/bin var/log
go build -o var/bin/gridcc ./backend/cmd/gridcc
ok "built in $(fmt_ms $(($(now_ms) - t0)))"

# ---- 4 gridcc ---------------------------------------------------------------
port="${ADDR##*:}"
if [[ "$port" != 0 ]] && port_listening "$port"; then
  owner="$(port_owner "$port")"
  die "port $port (GRIDCC_ADDR=$ADDR) is already in use${owner:+ by $owner}. Choose another: GRIDCC_ADDR=127.0.0.1:8081 scripts/up.sh"
fi

step "Starting gridcc on $ADDR (log: $GRIDCC_LOG)"
[[ -f "$GRIDCC_LOG" ]] && mv -f "$GRIDCC_LOG" "$GRIDCC_LOG.1"
# In a session of its own (setsid), gridcc does not get the terminal's Ctrl-C directly: only
# this script does, and cleanup() then stops gridsim, gridcc (SIGTERM, its graceful-shutdown
# signal) and the services in that order. setsid does not fork here, so $! is gridcc itself.
GRIDCC_ADDR="$ADDR" GRIDCC_GEODATA="$GEODATA" setsid -w var/bin/gridcc </dev/null >>"$GRIDCC_LOG" 2>&1 &
GRIDCC_PID=$!

# With GRIDCC_ADDR=host:0 gridcc picks a free port; ss tells which.
url_host="${ADDR%:*}"
case "$url_host" in '' | 0.0.0.0 | '[::]' | '::') url_host=127.0.0.1 ;; esac
t0="$(now_ms)"
deadline=$((SECONDS + HEALTH_TIMEOUT))
base=''
while :; do
  if ! pid_alive "$GRIDCC_PID"; then
    wait "$GRIDCC_PID" && rc=0 || rc=$?
    GRIDCC_PID=''
    tail -n 20 "$GRIDCC_LOG" | sed 's/^/    | /' >&2
    die "gridcc exited with status $rc before answering /healthz (log above: $GRIDCC_LOG)"
  fi
  if [[ "$port" == 0 ]]; then
    p="$(ss -Hltnp 2>/dev/null | grep "pid=$GRIDCC_PID," | awk '{print $4}' | sed 's/.*://' | head -n 1 || true)"
    [[ -n "$p" ]] && base="http://$url_host:$p"
  else
    base="http://$url_host:$port"
  fi
  if [[ -n "$base" ]] && curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1; then
    break
  fi
  if ((SECONDS >= deadline)); then
    tail -n 20 "$GRIDCC_LOG" | sed 's/^/    | /' >&2
    die "gridcc did not answer ${base:-(its port)}/healthz within ${HEALTH_TIMEOUT}s"
  fi
  sleep 0.2
done
ok "gridcc: pid $GRIDCC_PID, /healthz answered after $(fmt_ms $(($(now_ms) - t0)))"

# ---- 5 demo -----------------------------------------------------------------
# The demo's tokens live in var/demo-tokens.env (mode 600): one ingest token per source
# system, as a real center would issue them, and a wall token for the video wall's link.
# They are created once with `gridcc tokens add` and reused on later runs.
DEMO_TOKENS=var/demo-tokens.env
# demo_token NAME ROLE: adds a token to the auth file and prints it (the line gcc_…).
demo_token() {
  var/bin/gridcc tokens add --name "$1" --role "$2" --rate 1000 --burst 2000 | awk '/^ *gcc_/ {print $1}'
}
if [[ ! -s "$DEMO_TOKENS" ]]; then
  step "Creating the demo's tokens ($DEMO_TOKENS)"
  umask 077
  {
    echo "# Demo tokens made by scripts/up.sh; the auth file keeps only their hashes."
    echo "GRIDSIM_TOKEN_GRID=$(demo_token demo-grid-app ingest:gridapp)"
    echo "GRIDSIM_TOKEN_HOTLINE=$(demo_token demo-12345 ingest:hotline12345)"
    echo "GRIDSIM_TOKEN_CAMERA=$(demo_token demo-xueliang ingest:xueliang)"
    echo "GRIDSIM_TOKEN_WARNING=$(demo_token demo-sensors ingest:sensors)"
    echo "GRIDCC_DEMO_WALL_TOKEN=$(demo_token demo-wall wall)"
  } >"$DEMO_TOKENS.tmp"
  mv "$DEMO_TOKENS.tmp" "$DEMO_TOKENS"
  umask 022
fi
# The demo's people, for the screens behind a login: a duty officer (/console), a reviewer
# (/review) and the police sub-bureau as a responder (/m, responder:gafj). gridcc makes up each
# password (`gridcc users add` without --password-stdin prints it once); they are kept in the
# same file, made once and reused. A user that exists without a kept password gets a new one.
# demo_user NAME DISPLAY ROLE: prints the password of the demo user NAME.
demo_user() {
  local out
  if var/bin/gridcc users list | awk -v n="$1" '$1 == n {found=1} END {exit !found}'; then
    out="$(var/bin/gridcc users passwd "$1")"
  else
    out="$(var/bin/gridcc users add --name "$1" --display "$2" --role "$3")"
  fi
  printf '%s\n' "$out" | awk 'seen && NF {print $1; exit} /^Password/ {seen=1}'
}
if ! grep -q '^GRIDCC_DEMO_OFFICER_PASSWORD=.' "$DEMO_TOKENS"; then
  step "Creating the demo's users ($DEMO_TOKENS)"
  {
    echo "# Demo users made by scripts/up.sh: login names and passwords (the auth file keeps only hashes)."
    echo "GRIDCC_DEMO_OFFICER=demo-officer"
    echo "GRIDCC_DEMO_OFFICER_PASSWORD=$(demo_user demo-officer 演示值班员 officer)"
    echo "GRIDCC_DEMO_REVIEWER=demo-reviewer"
    echo "GRIDCC_DEMO_REVIEWER_PASSWORD=$(demo_user demo-reviewer 演示研判员 reviewer)"
    echo "GRIDCC_DEMO_RESPONDER=demo-gafj"
    echo "GRIDCC_DEMO_RESPONDER_PASSWORD=$(demo_user demo-gafj 演示公安分局 responder:gafj)"
  } >>"$DEMO_TOKENS"
fi
chmod 600 "$DEMO_TOKENS"
set -a
# shellcheck disable=SC1090
. "$DEMO_TOKENS"
set +a
step "Starting the demo simulator (var/bin/gridsim demo, ${GRIDSIM_SPEED:-600}x; log: var/log/gridsim.log)"
go build -o var/bin/gridsim ./backend/cmd/gridsim
GRIDSIM_URL="$base" setsid -w var/bin/gridsim demo --speed "${GRIDSIM_SPEED:-600}" --geodata "$GEODATA" \
  </dev/null >>var/log/gridsim.log 2>&1 &
GRIDSIM_PID=$!
ok "gridsim: pid $GRIDSIM_PID"

# ---- ready ------------------------------------------------------------------
step "gridcc is up: $base/"
if [[ -n "$HAVE_FRONTEND" ]]; then
  info "video wall (open once; the token becomes a cookie): $base/wall?token=$GRIDCC_DEMO_WALL_TOKEN"
  info "duty console:      $base/console  login $GRIDCC_DEMO_OFFICER / $GRIDCC_DEMO_OFFICER_PASSWORD"
  info "phone page:        $base/m        login $GRIDCC_DEMO_RESPONDER / $GRIDCC_DEMO_RESPONDER_PASSWORD"
  info "review screens:    $base/review   login $GRIDCC_DEMO_REVIEWER / $GRIDCC_DEMO_REVIEWER_PASSWORD"
  info "(logins and tokens are kept in $DEMO_TOKENS)"
fi
info "services: $GRIDCC_REDIS_URL  $GRIDCC_CLICKHOUSE_URL"
info "Ctrl-C stops gridcc${STOP_AT_END[*]:+ and the services started here (${STOP_AT_END[*]})}"
step "Following $GRIDCC_LOG"
tail -n +1 -f --pid="$GRIDCC_PID" "$GRIDCC_LOG" &
TAIL_PID=$!

# Runs until gridcc exits by itself or a signal runs cleanup().
rc=0
wait "$GRIDCC_PID" || rc=$?
GRIDCC_PID=''
warn "gridcc exited by itself with status $rc"
exit "$rc"
