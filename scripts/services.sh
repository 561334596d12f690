#!/usr/bin/env bash
# scripts/services.sh: run gridcc's Redis and ClickHouse locally, without systemd or Docker.
#
#   scripts/services.sh start                       install what is missing (Debian apt), start both, wait until both answer
#   scripts/services.sh stop   [redis|clickhouse]   stop the servers this script started (never anyone else's)
#   scripts/services.sh status [redis|clickhouse]   one line per service; exit 0 when all named ones run, 3 otherwise
#
# Ports (environment, with defaults):
#   GRIDCC_REDIS_PORT=6379  GRIDCC_CH_TCP_PORT=9000  GRIDCC_CH_HTTP_PORT=8123
#
# State lives in the repo's git-ignored var/:
#   var/redis/        Redis dir: AOF (appendfsync always), redis.pid, redis.log, port
#   var/clickhouse/   etc/ (rendered from scripts/clickhouse/*.tmpl), data/, log/, clickhouse.pid, ports
#   var/services.env  GRIDCC_REDIS_URL, GRIDCC_CLICKHOUSE_URL and the ports, as KEY=value lines
#
# A server counts as "ours" only when its pidfile names a live process of the right program;
# for Redis the server answering on the port must also report that pid in INFO server
# (redis-server --daemonize exits 0 even when the port is taken, so a PONG alone proves nothing).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# clickhouse-server lives in /usr/sbin, which a non-root PATH may lack.
PATH="$PATH:/usr/sbin:/sbin"

REDIS_PORT="${GRIDCC_REDIS_PORT:-6379}"
CH_TCP_PORT="${GRIDCC_CH_TCP_PORT:-9000}"
CH_HTTP_PORT="${GRIDCC_CH_HTTP_PORT:-8123}"

VAR_DIR="$GRIDCC_ROOT/var"
REDIS_DIR="$VAR_DIR/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
CH_DIR="$VAR_DIR/clickhouse"
CH_PIDFILE="$CH_DIR/clickhouse.pid"
CH_CONFIG="$CH_DIR/etc/config.xml"
CH_TEMPLATES="$GRIDCC_ROOT/scripts/clickhouse"
ENV_FILE="$VAR_DIR/services.env"

START_TIMEOUT=30 # seconds for a server to answer after launch
STOP_TIMEOUT=30  # seconds between SIGTERM and SIGKILL

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-0}"
}

# ---- installation -----------------------------------------------------------

# ensure_packages installs, through apt, whatever program below is missing.
ensure_packages() {
  local -A package_of=(
    [redis-server]=redis-server [redis-cli]=redis-tools
    [clickhouse-server]=clickhouse-server [clickhouse-client]=clickhouse-client
    [curl]=curl [ss]=iproute2 [setsid]=util-linux
  )
  local cmd missing=()
  for cmd in redis-server redis-cli clickhouse-server clickhouse-client curl ss setsid; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${package_of[$cmd]}")
  done
  ((${#missing[@]} == 0)) && return 0

  if ((EUID != 0)); then
    die "missing packages: ${missing[*]}. Install them as root, then run this again:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages: ${missing[*]}, and there is no apt-get here to install them (this script supports Debian 12)"

  step "Installing ${missing[*]} (apt)"
  local t0
  t0="$(now_ms)"
  # Installing a Debian service package normally starts it at once, on the very ports we
  # want. A temporary policy-rc.d (the mechanism Debian and Docker images use) forbids that.
  local policy=/usr/sbin/policy-rc.d added_policy=
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# temporary, from gridcc scripts/services.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    added_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  local apt=(apt-get -q -o DPkg::Lock::Timeout=300)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >/dev/null ||
    die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y "${missing[@]}" >"$VAR_DIR/apt.log" 2>&1 || {
    tail -n 20 "$VAR_DIR/apt.log" >&2
    die "apt-get install ${missing[*]} failed (full log: var/apt.log)"
  }
  if [[ -n "$added_policy" ]]; then
    rm -f "$policy"
    trap - EXIT
  fi
  for cmd in redis-server redis-cli clickhouse-server clickhouse-client curl ss setsid; do
    command -v "$cmd" >/dev/null 2>&1 || die "installed ${missing[*]}, but '$cmd' is still not on PATH ($PATH)"
  done
  ok "installed in $(fmt_ms $(($(now_ms) - t0)))"
}

# ---- shared checks ----------------------------------------------------------

check_port_number() { # NAME VALUE
  if [[ ! "$2" =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > 65535)); then
    die "$1=$2 is not a TCP port number"
  fi
}

# require_free_port fails with a clear message when someone else already listens on PORT.
require_free_port() { # PORT WHAT VARIABLE
  local port=$1 what=$2 var=$3 owner
  port_listening "$port" || return 0
  owner="$(port_owner "$port")"
  local hint=''
  case "$owner" in
    *redis-server* | *clickhouse*)
      hint="
    If that is a system service: systemctl disable --now redis-server clickhouse-server" ;;
  esac
  # shellcheck disable=SC2016 # the single quotes are part of the message; $port expands
  die "port $port ($what) is already in use by ${owner:-another process (ss shows which only to root: ss -ltnp 'sport = :$port')}.
    That server was not started by scripts/services.sh, so it is left alone.
    Pick free ports through the environment, for example:
    GRIDCC_REDIS_PORT=16379 GRIDCC_CH_TCP_PORT=19000 GRIDCC_CH_HTTP_PORT=18123 scripts/services.sh start
    ($var selects this one.)$hint"
}

# pidfile_pid FILE PATTERN: prints the pid in FILE when it is a live process whose command
# line matches PATTERN (a glob); fails otherwise (no file, stale pid, pid reused by another program).
pidfile_pid() {
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  pid_alive "$pid" || return 1
  # shellcheck disable=SC2053 # $2 is a glob on purpose
  [[ "$(pid_cmd "$pid")" == $2 ]] || return 1
  printf '%s\n' "$pid"
}

# show_log_tail FILE...: the last lines of each non-empty file, to explain a failed start.
show_log_tail() {
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    printf '    --- last lines of %s ---\n' "${f#"$GRIDCC_ROOT"/}" >&2
    tail -n 15 "$f" | sed 's/^/    | /' >&2
  done
}

# ---- Redis ------------------------------------------------------------------

# redis_pid: our Redis's pid. Redis rewrites its command line to "redis-server host:port",
# so "ours" also means its working directory is var/redis (it chdirs to --dir).
redis_pid() {
  local pid
  pid="$(pidfile_pid "$REDIS_PIDFILE" '*redis-server*')" || return 1
  [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$REDIS_DIR" ]] || return 1
  printf '%s\n' "$pid"
}

# redis_info_pid PORT: process_id reported by whatever Redis answers on PORT (empty if none).
redis_info_pid() {
  timeout 3 redis-cli -h 127.0.0.1 -p "$1" --no-auth-warning INFO server 2>/dev/null |
    tr -d '\r' | awk -F: '$1 == "process_id" {print $2}' || true
}

redis_recorded_port() { cat "$REDIS_DIR/port" 2>/dev/null || true; }

start_redis() {
  mkdir -p "$REDIS_DIR"
  local pid
  if pid="$(redis_pid)"; then
    if [[ "$(redis_info_pid "$REDIS_PORT")" == "$pid" ]]; then
      ok "redis: already running (pid $pid, port $REDIS_PORT), reused"
      check_redis_durability
      return 0
    fi
    die "gridcc's Redis (pid $pid) is running on port $(redis_recorded_port), not on GRIDCC_REDIS_PORT=$REDIS_PORT.
    Stop it first: scripts/services.sh stop redis"
  fi
  rm -f "$REDIS_PIDFILE"
  require_free_port "$REDIS_PORT" redis GRIDCC_REDIS_PORT

  step "Starting Redis on 127.0.0.1:$REDIS_PORT (AOF, appendfsync always; var/redis)"
  local t0 launched
  t0="$(now_ms)"
  # Foreground mode under setsid instead of --daemonize: $! is then the server itself, so
  # a server that dies at once (port taken, bad option) is noticed at once, and Ctrl-C in the
  # terminal that ran us does not reach it. AOF with appendfsync always: an event that was
  # acknowledged must survive a Redis restart. --save '': no RDB snapshots on top of the AOF.
  setsid -w redis-server \
    --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --daemonize no --dir "$REDIS_DIR" --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" \
    --appendonly yes --appendfsync always --save '' \
    </dev/null >>"$REDIS_DIR/stdout.log" 2>&1 &
  launched=$!
  printf '%s\n' "$REDIS_PORT" >"$REDIS_DIR/port"

  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! pid_alive "$launched"; then
      show_log_tail "$REDIS_LOG" "$REDIS_DIR/stdout.log"
      die "redis-server exited right after starting (see the log above: var/redis/redis.log)"
    fi
    pid="$(cat "$REDIS_PIDFILE" 2>/dev/null || true)"
    if [[ -n "$pid" && "$(redis_info_pid "$REDIS_PORT")" == "$pid" ]]; then
      break
    fi
    if ((SECONDS >= deadline)); then
      kill -TERM "$launched" 2>/dev/null || true
      show_log_tail "$REDIS_LOG" "$REDIS_DIR/stdout.log"
      die "Redis did not answer on port $REDIS_PORT within ${START_TIMEOUT}s (stopped it again)"
    fi
    sleep 0.1
  done
  check_redis_durability
  ok "redis: pid $pid, port $REDIS_PORT, ready in $(fmt_ms $(($(now_ms) - t0)))"
}

# check_redis_durability refuses a Redis without AOF fsync on every write.
check_redis_durability() {
  local got
  got="$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" CONFIG GET appendfsync 2>/dev/null | tr -d '\r' | sed -n 2p)"
  [[ "$got" == always ]] ||
    die "Redis on port $REDIS_PORT runs with appendfsync=${got:-?}, gridcc needs always. Restart it: scripts/services.sh stop redis && scripts/services.sh start"
}

# ---- ClickHouse -------------------------------------------------------------

ch_pid() { pidfile_pid "$CH_PIDFILE" "*clickhouse*$CH_CONFIG*"; }

# ch_ping: something answers ClickHouse's /ping on the HTTP port.
ch_ping() {
  [[ "$(curl -fsS --max-time 2 "http://127.0.0.1:$CH_HTTP_PORT/ping" 2>/dev/null)" == "Ok." ]]
}

# ch_answers PID: /ping answers, and when ss can tell, PID is who listens on the HTTP port.
ch_answers() {
  local pid=$1 pids
  ch_ping || return 1
  pids="$(port_pids "$CH_HTTP_PORT")"
  [[ -z "$pids" ]] || grep -qx "$pid" <<<"$pids"
}

ch_recorded_ports() { cat "$CH_DIR/ports" 2>/dev/null || true; }

# render_ch_config writes etc/config.xml and etc/users.xml from the templates.
render_ch_config() {
  mkdir -p "$CH_DIR/etc" "$CH_DIR/log" "$CH_DIR/data" "$CH_DIR/tmp"
  local name
  for name in config users; do
    sed -e "s|@@DIR@@|$CH_DIR|g" -e "s|@@TCP_PORT@@|$CH_TCP_PORT|g" -e "s|@@HTTP_PORT@@|$CH_HTTP_PORT|g" \
      "$CH_TEMPLATES/$name.xml.tmpl" >"$CH_DIR/etc/$name.xml"
  done
}

start_clickhouse() {
  mkdir -p "$CH_DIR"
  local pid
  if pid="$(ch_pid)"; then
    if ch_answers "$pid" && [[ "$(ch_recorded_ports)" == "$CH_TCP_PORT $CH_HTTP_PORT" ]]; then
      ok "clickhouse: already running (pid $pid, tcp $CH_TCP_PORT, http $CH_HTTP_PORT), reused"
      ensure_ch_database
      return 0
    fi
    die "gridcc's ClickHouse (pid $pid) is running with ports (tcp http) $(ch_recorded_ports), not on GRIDCC_CH_TCP_PORT=$CH_TCP_PORT GRIDCC_CH_HTTP_PORT=$CH_HTTP_PORT, or is not answering.
    Stop it first: scripts/services.sh stop clickhouse"
  fi
  rm -f "$CH_PIDFILE"
  require_free_port "$CH_TCP_PORT" "clickhouse native" GRIDCC_CH_TCP_PORT
  require_free_port "$CH_HTTP_PORT" "clickhouse http" GRIDCC_CH_HTTP_PORT

  step "Starting ClickHouse on 127.0.0.1:$CH_TCP_PORT (http $CH_HTTP_PORT; var/clickhouse)"
  local t0 launched
  t0="$(now_ms)"
  render_ch_config
  printf '%s %s\n' "$CH_TCP_PORT" "$CH_HTTP_PORT" >"$CH_DIR/ports"
  # `exec` keeps the subshell's pid, so $! is the server (see the Redis comment on setsid).
  # 18.16 spells the option --pidfile; --pid-file is silently ignored.
  (cd "$CH_DIR" && exec setsid -w clickhouse-server --config-file="$CH_CONFIG" --pidfile="$CH_PIDFILE") \
    </dev/null >>"$CH_DIR/log/stdout.log" 2>&1 &
  launched=$!

  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! pid_alive "$launched"; then
      show_log_tail "$CH_DIR/log/clickhouse-server.err.log" "$CH_DIR/log/stdout.log"
      die "clickhouse-server exited right after starting (logs: var/clickhouse/log/)"
    fi
    if ch_ping; then
      break
    fi
    if ((SECONDS >= deadline)); then
      kill -TERM "$launched" 2>/dev/null || true
      show_log_tail "$CH_DIR/log/clickhouse-server.err.log" "$CH_DIR/log/clickhouse-server.log" "$CH_DIR/log/stdout.log"
      die "ClickHouse did not answer http://127.0.0.1:$CH_HTTP_PORT/ping within ${START_TIMEOUT}s (stopped it again)"
    fi
    sleep 0.1
  done
  # The pidfile is the server's own; it appears a moment after the port opens.
  local i
  for ((i = 0; i < 50; i++)); do
    pid="$(ch_pid)" && break
    sleep 0.1
  done
  [[ -n "$pid" ]] || die "ClickHouse answers but wrote no pidfile at ${CH_PIDFILE#"$GRIDCC_ROOT"/}"
  ch_answers "$pid" || die "port $CH_HTTP_PORT is answered by another process than our ClickHouse (pid $pid): $(port_owner "$CH_HTTP_PORT")"
  ensure_ch_database
  ok "clickhouse: pid $pid, tcp $CH_TCP_PORT, http $CH_HTTP_PORT, ready in $(fmt_ms $(($(now_ms) - t0)))"
}

# ensure_ch_database creates the `gridcc` database that GRIDCC_CLICKHOUSE_URL names
# (connecting to a missing database fails at the handshake).
ensure_ch_database() {
  curl -fsS --max-time 10 "http://127.0.0.1:$CH_HTTP_PORT/" \
    --data-binary 'CREATE DATABASE IF NOT EXISTS gridcc' >/dev/null ||
    die "ClickHouse on port $CH_HTTP_PORT refused CREATE DATABASE gridcc"
}

# ---- commands ---------------------------------------------------------------

write_env_file() {
  cat >"$ENV_FILE" <<EOF
# Written by scripts/services.sh start. KEY=value lines; to export them into a shell:
#   set -a; . var/services.env; set +a
GRIDCC_REDIS_PORT=$REDIS_PORT
GRIDCC_CH_TCP_PORT=$CH_TCP_PORT
GRIDCC_CH_HTTP_PORT=$CH_HTTP_PORT
GRIDCC_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
GRIDCC_CLICKHOUSE_URL=clickhouse://127.0.0.1:$CH_TCP_PORT/gridcc
EOF
}

cmd_start() {
  check_port_number GRIDCC_REDIS_PORT "$REDIS_PORT"
  check_port_number GRIDCC_CH_TCP_PORT "$CH_TCP_PORT"
  check_port_number GRIDCC_CH_HTTP_PORT "$CH_HTTP_PORT"
  [[ "$REDIS_PORT" != "$CH_TCP_PORT" && "$REDIS_PORT" != "$CH_HTTP_PORT" && "$CH_TCP_PORT" != "$CH_HTTP_PORT" ]] ||
    die "GRIDCC_REDIS_PORT, GRIDCC_CH_TCP_PORT and GRIDCC_CH_HTTP_PORT must differ ($REDIS_PORT, $CH_TCP_PORT, $CH_HTTP_PORT)"
  mkdir -p "$VAR_DIR"
  ensure_packages
  start_redis
  start_clickhouse
  write_env_file
  ok "wrote var/services.env (GRIDCC_REDIS_URL, GRIDCC_CLICKHOUSE_URL)"
}

# stop_pid NAME PID: SIGTERM, up to STOP_TIMEOUT seconds, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 t0
  t0="$(now_ms)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if pid_alive "$pid"; then
    warn "$name (pid $pid) still running ${STOP_TIMEOUT}s after SIGTERM: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while pid_alive "$pid"; do sleep 0.1; done
  fi
  ok "$name: stopped pid $pid in $(fmt_ms $(($(now_ms) - t0)))"
}

stop_service() { # redis|clickhouse
  local name=$1 pidfile pid=''
  case "$name" in
    redis)
      pidfile=$REDIS_PIDFILE
      pid="$(redis_pid)" || true
      ;;
    clickhouse)
      pidfile=$CH_PIDFILE
      pid="$(ch_pid)" || true
      ;;
  esac
  if [[ -n "$pid" ]]; then
    stop_pid "$name" "$pid"
  elif [[ -s "$pidfile" ]]; then
    info "$name: not running (removed the stale pidfile ${pidfile#"$GRIDCC_ROOT"/})"
  else
    info "$name: not running"
  fi
  rm -f "$pidfile"
}

cmd_stop() {
  local name
  for name in "$@"; do stop_service "$name"; done
}

# status_line NAME: one line; returns 0 when the service runs and answers.
status_line() {
  local pid
  case "$1" in
    redis)
      if pid="$(redis_pid)"; then
        local port
        port="$(redis_recorded_port)"
        if [[ "$(redis_info_pid "$port")" == "$pid" ]]; then
          echo "redis: running, pid $pid, port $port"
          return 0
        fi
        echo "redis: process $pid alive but not answering on port $port"
        return 1
      fi
      echo "redis: stopped"
      return 1
      ;;
    clickhouse)
      if pid="$(ch_pid)"; then
        local ports
        read -r CH_TCP_PORT CH_HTTP_PORT <<<"$(ch_recorded_ports)"
        ports="tcp $CH_TCP_PORT, http $CH_HTTP_PORT"
        if ch_answers "$pid"; then
          echo "clickhouse: running, pid $pid, $ports"
          return 0
        fi
        echo "clickhouse: process $pid alive but not answering ($ports)"
        return 1
      fi
      echo "clickhouse: stopped"
      return 1
      ;;
  esac
}

cmd_status() {
  local name rc=0
  for name in "$@"; do status_line "$name" || rc=3; done
  return "$rc"
}

main() {
  (($# >= 1)) || usage 2 >&2
  local cmd=$1
  shift
  local services=("$@")
  ((${#services[@]})) || services=(redis clickhouse)
  local s
  for s in "${services[@]}"; do
    [[ "$s" == redis || "$s" == clickhouse ]] || die "unknown service '$s' (redis or clickhouse)"
  done
  case "$cmd" in
    start)
      (($# == 0)) || die "start takes no service names: it always starts both"
      cmd_start
      ;;
    stop) cmd_stop "${services[@]}" ;;
    status) cmd_status "${services[@]}" ;;
    -h | --help | help) usage 0 ;;
    *)
      fail "unknown command '$cmd'"
      usage 2 >&2
      ;;
  esac
}

main "$@"
