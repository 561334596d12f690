# shellcheck shell=bash
# scripts/lib.sh: helpers sourced by scripts/*.sh. It is not run on its own.
#
# What it provides:
#   GRIDCC_ROOT                          the repository root (found from this file's path, not from git,
#                                        so it also works in a tarball or a Docker build context)
#   step/info/ok/warn/fail/die           progress lines (colored when stderr is a terminal and NO_COLOR is unset)
#   now_ms, fmt_ms                       timing helpers for stage headers
#   require_go, require_node             prerequisite checks with a clear message on failure
#   port_listening, port_owner           who listens on a local TCP port (from `ss -ltnp`)
#   pid_alive, pid_cmd                   process checks used before signalling anything
#   load_services_env                    export the variables written by `scripts/services.sh start`

GRIDCC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GRIDCC_ROOT

# ---- progress output --------------------------------------------------------

if [[ -t 2 && -z "${NO_COLOR:-}" ]]; then
  _c_bold=$'\e[1m' _c_blue=$'\e[34m' _c_green=$'\e[32m' _c_yellow=$'\e[33m' _c_red=$'\e[31m' _c_off=$'\e[0m'
else
  _c_bold='' _c_blue='' _c_green='' _c_yellow='' _c_red='' _c_off=''
fi

# Progress goes to stderr so that stdout stays free for what a command prints on purpose
# (and for go test's own output, which CI reads).
step() { printf '%s==> %s%s\n' "${_c_bold}${_c_blue}" "$*" "${_c_off}" >&2; }
info() { printf '    %s\n' "$*" >&2; }
ok()   { printf '    %sok%s %s\n' "${_c_green}" "${_c_off}" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "${_c_yellow}" "${_c_off}" "$*" >&2; }
fail() { printf '%serror:%s %s\n' "${_c_red}${_c_bold}" "${_c_off}" "$*" >&2; }
die()  { fail "$@"; exit 1; }

# now_ms prints the wall clock in milliseconds; fmt_ms turns a duration in ms into "12.3s".
now_ms() { date +%s%3N; }
fmt_ms() { printf '%d.%ds' "$(($1 / 1000))" "$((($1 % 1000) / 100))"; }

# ---- prerequisites ----------------------------------------------------------

# version_ge A B: true when dotted version A >= B (numeric parts only).
version_ge() {
  local IFS=.
  local -a a b
  read -r -a a <<<"$1"
  read -r -a b <<<"$2"
  local i
  for ((i = 0; i < ${#b[@]} || i < ${#a[@]}; i++)); do
    local x=${a[i]:-0} y=${b[i]:-0}
    x=${x%%[!0-9]*} y=${y%%[!0-9]*}
    ((10#${x:-0} > 10#${y:-0})) && return 0
    ((10#${x:-0} < 10#${y:-0})) && return 1
  done
  return 0
}

GRIDCC_MIN_GO=1.26
GRIDCC_MIN_NODE=20

# require_go makes sure a Go toolchain >= 1.26 is on PATH (adding /usr/local/go/bin when
# that is where it lives) and pins GOTOOLCHAIN=local so Go never tries to download another one.
require_go() {
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
    export PATH
  fi
  command -v go >/dev/null 2>&1 ||
    die "Go >= $GRIDCC_MIN_GO is required but 'go' is not on PATH (nor in /usr/local/go/bin). Install it from https://go.dev/dl/"
  local v
  v="$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null)" || die "'$(command -v go)' does not run"
  v="${v#go}"
  version_ge "$v" "$GRIDCC_MIN_GO" ||
    die "Go >= $GRIDCC_MIN_GO is required, found go$v at $(command -v go). Install a newer Go from https://go.dev/dl/"
  export GOTOOLCHAIN=local
}

# require_node makes sure Node >= 20 and npm are on PATH (only steps that touch frontend/ call it).
require_node() {
  command -v node >/dev/null 2>&1 ||
    die "Node.js >= $GRIDCC_MIN_NODE is required for frontend/ but 'node' is not on PATH (Debian: apt-get install nodejs npm, or https://nodejs.org/)"
  local v
  v="$(node --version)"
  v="${v#v}"
  version_ge "$v" "$GRIDCC_MIN_NODE" ||
    die "Node.js >= $GRIDCC_MIN_NODE is required for frontend/, found v$v at $(command -v node)"
  command -v npm >/dev/null 2>&1 ||
    die "npm is required for frontend/ but is not on PATH (Debian: apt-get install npm)"
}

# ---- processes and ports ----------------------------------------------------

# pid_alive PID: true when PID is a live process (zombies count as dead).
pid_alive() {
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)"
  [[ "$state" != Z ]]
}

# pid_cmd PID: the process's command line with spaces between arguments.
pid_cmd() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# port_listening PORT: true when anything listens on local TCP port PORT (any address).
port_listening() {
  [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
}

# free_port: a TCP port in 20000-49999 nothing listens on right now (someone may still take it before
# the caller binds it: start_gridcc's readiness check then fails with the server's log).
free_port() {
  local p i
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 30000))
    port_listening "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port found in 20000-49999"
}

# start_gridcc LOG [VAR=VALUE...]: starts var/bin/gridcc on a free loopback port with the given settings on
# top of the environment, its output in LOG, and waits up to 60 s for /readyz. Sets GRIDCC_PID and
# GRIDCC_BASE (http://127.0.0.1:PORT). For scripts that run a private gridcc (benchmarks, soak).
start_gridcc() {
  local log=$1 port
  shift
  port="$(free_port)"
  env "$@" GRIDCC_ADDR="127.0.0.1:$port" var/bin/gridcc </dev/null >"$log" 2>&1 &
  GRIDCC_PID=$!
  GRIDCC_BASE="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 "$GRIDCC_BASE/readyz" >/dev/null 2>&1; do
    pid_alive "$GRIDCC_PID" || { tail -n 20 "$log" >&2; die "gridcc exited before it was ready (log: $log)"; }
    ((SECONDS < deadline)) || { tail -n 20 "$log" >&2; die "gridcc was not ready within 60s (log: $log)"; }
    sleep 0.2
  done
}

# stopped_services: the services (redis, clickhouse) plainly stopped now, one a line. A script that
# starts them stops these again at its end; a running one is someone else's and is left alone.
stopped_services() {
  local svc
  for svc in redis clickhouse; do
    if [[ "$(bash "$GRIDCC_ROOT/scripts/services.sh" status "$svc" 2>/dev/null || true)" == "$svc: stopped" ]]; then
      echo "$svc"
    fi
  done
}

# delete_redis_prefix PREFIX: deletes every key under PREFIX (which holds no glob characters) in the
# Redis at GRIDCC_REDIS_URL, 500 keys a command.
delete_redis_prefix() {
  redis-cli -u "$GRIDCC_REDIS_URL" --scan --pattern "$1*" |
    xargs -r -n 500 redis-cli -u "$GRIDCC_REDIS_URL" unlink >/dev/null
}

# add_token AUTH_FILE ROLE NAME: adds a token with the documented benchmark limits (100,000/s) to
# AUTH_FILE with var/bin/gridcc and prints it (gridcc prints it indented on a line of its own).
add_token() {
  GRIDCC_AUTH_FILE="$1" var/bin/gridcc tokens add --role "$2" --name "$3" --rate 100000 --burst 100000 |
    awk '$1 ~ /^gcc_/ {print $1}'
}

# port_owner PORT: prints `name pid=N` for each listener of PORT that ss can name
# (it names other users' processes only for root), or nothing.
port_owner() {
  ss -Hltnp "sport = :$1" 2>/dev/null |
    grep -o 'users:(.*)' |
    grep -o '"[^"]*",pid=[0-9]*' |
    sed 's/"\([^"]*\)",/\1 /' | sort -u | paste -sd, - || true
}

# port_pids PORT: the pids listening on PORT, one a line (empty when ss cannot tell).
port_pids() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true
}

# load_services_env exports the variables written by `scripts/services.sh start`.
load_services_env() {
  local f="$GRIDCC_ROOT/var/services.env"
  [[ -f "$f" ]] || die "$f is missing: run scripts/services.sh start first"
  set -a
  # shellcheck source=/dev/null
  . "$f"
  set +a
}
